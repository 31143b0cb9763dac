//! Quarters and their population figures (for participation rates).

use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// Population of a quarter, in total and per age band.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Population {
    pub total: u32,
    pub under_50: u32,
    pub from_50_to_64: u32,
    pub from_65_to_74: u32,
    pub from_75_to_84: u32,
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

    /// Field errors: the bands may not add up to more than the total.
    pub fn problem(&self) -> Option<(&'static str, &'static str)> {
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
    pub name: String,
    #[serde(default)]
    pub description: String,
    #[serde(default)]
    pub population: Population,
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
}
