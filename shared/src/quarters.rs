//! Quarters and their population figures (for participation rates).

use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// The largest figure a population count may have: what the database column holds
/// (a signed 32-bit integer). Larger is refused, never stored cut down.
pub const POPULATION_MAX: u32 = 2_147_483_647;

/// Longest quarter name, in characters as sent.
pub const QUARTER_NAME_MAX: usize = 200;
/// Longest quarter description, in characters.
pub const QUARTER_DESCRIPTION_MAX: usize = 2000;

/// Population of a quarter, in total and per age band.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Population {
    #[cfg_attr(feature = "openapi", schema(maximum = 2_147_483_647))]
    pub total: u32,
    #[cfg_attr(feature = "openapi", schema(maximum = 2_147_483_647))]
    pub under_50: u32,
    #[cfg_attr(feature = "openapi", schema(maximum = 2_147_483_647))]
    pub from_50_to_64: u32,
    #[cfg_attr(feature = "openapi", schema(maximum = 2_147_483_647))]
    pub from_65_to_74: u32,
    #[cfg_attr(feature = "openapi", schema(maximum = 2_147_483_647))]
    pub from_75_to_84: u32,
    #[cfg_attr(feature = "openapi", schema(maximum = 2_147_483_647))]
    pub from_85: u32,
}

impl Population {
    /// Sum of the age bands.
    pub fn bands_sum(&self) -> u64 {
        [
            self.under_50,
            self.from_50_to_64,
            self.from_65_to_74,
            self.from_75_to_84,
            self.from_85,
        ]
        .iter()
        .map(|&n| u64::from(n))
        .sum()
    }

    /// The field error, if any: no figure above [`POPULATION_MAX`], and the bands may
    /// not add up to more than the total.
    pub fn problem(&self) -> Option<(&'static str, &'static str)> {
        let figures = [
            self.total,
            self.under_50,
            self.from_50_to_64,
            self.from_65_to_74,
            self.from_75_to_84,
            self.from_85,
        ];
        if figures.iter().any(|&n| n > POPULATION_MAX) {
            return Some(("population", "out_of_range"));
        }
        (self.bands_sum() > u64::from(self.total)).then_some(("population", "bands_exceed_total"))
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct QuarterDto {
    pub id: Uuid,
    pub organisation_id: Uuid,
    pub name: String,
    pub description: String,
    pub population: Population,
}

/// `POST /api/v1/quarters` (admin) and `PUT /api/v1/quarters/{id}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct QuarterRequest {
    /// Up to 200 characters, not blank, no control characters.
    #[cfg_attr(
        feature = "openapi",
        schema(
            min_length = 1,
            max_length = 200,
            pattern = r"^[^\u0000-\u001F\u007F-\u009F]*[^\s\u0000-\u001F\u007F-\u009F][^\u0000-\u001F\u007F-\u009F]*$"
        )
    )]
    pub name: String,
    /// Up to 2000 characters; line breaks and tabs are its only control characters.
    #[serde(default)]
    #[cfg_attr(
        feature = "openapi",
        schema(
            max_length = 2000,
            pattern = r"^[^\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]*$"
        )
    )]
    pub description: String,
    #[serde(default)]
    pub population: Population,
}

impl QuarterRequest {
    /// Every field error, as the server reports them; empty when the request is valid.
    /// The OpenAPI schema above says the same. Control characters (C0, DEL, C1) are
    /// never part of a name people read; a description may have line breaks and tabs.
    pub fn problems(&self) -> Vec<(&'static str, &'static str)> {
        let mut problems = Vec::new();
        if self.name.trim().is_empty() {
            problems.push(("name", "required"));
        } else if self.name.chars().count() > QUARTER_NAME_MAX {
            problems.push(("name", "too_long"));
        } else if self.name.chars().any(char::is_control) {
            problems.push(("name", "control_character"));
        }
        if self.description.chars().count() > QUARTER_DESCRIPTION_MAX {
            problems.push(("description", "too_long"));
        } else if self
            .description
            .chars()
            .any(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t'))
        {
            problems.push(("description", "control_character"));
        }
        problems.extend(self.population.problem());
        problems
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bands_above_the_total_are_refused() {
        let mut p = Population {
            total: 100,
            under_50: 60,
            from_50_to_64: 20,
            from_65_to_74: 10,
            from_75_to_84: 5,
            from_85: 5,
        };
        assert_eq!(p.problem(), None);
        p.from_85 = 6;
        assert_eq!(p.problem(), Some(("population", "bands_exceed_total")));
    }

    #[test]
    fn figures_the_database_cannot_hold_are_refused() {
        let mut p = Population {
            total: POPULATION_MAX,
            ..Population::default()
        };
        assert_eq!(p.problem(), None);
        p.total = POPULATION_MAX + 1;
        assert_eq!(p.problem(), Some(("population", "out_of_range")));
    }

    #[test]
    fn names_with_control_characters_are_refused() {
        let request = |name: &str, description: &str| QuarterRequest {
            name: name.into(),
            description: description.into(),
            population: Population::default(),
        };
        assert!(
            request("Altstadt-Nord", "Zwei Zeilen\nmit\tTab")
                .problems()
                .is_empty()
        );
        for name in ["Alt\u{0}stadt", "Alt\nstadt", "Alt\u{7f}", "Alt\u{85}stadt"] {
            assert_eq!(
                request(name, "").problems(),
                [("name", "control_character")],
                "{name:?}"
            );
        }
        assert_eq!(request("  ", "").problems(), [("name", "required")]);
        assert_eq!(
            request("A", "\u{1b}[31m").problems(),
            [("description", "control_character")]
        );
        let long = "x".repeat(QUARTER_NAME_MAX + 1);
        assert_eq!(request(&long, "").problems(), [("name", "too_long")]);
    }
}
