//! The starter template "Age-friendly neighbourhood", built on the WHO's age-friendly
//! domains, in plain language, German and English.

use super::SurveyTemplateDto;
use super::definition::{
    Choice, Combine, Question, QuestionKind, RatingStyle, Rule, Section, ShowIf, SurveyDefinition,
    Text,
};
use crate::help::HelpCategory::{self, Paperwork, Repairs, Shopping, TechHelp, Visit};

/// Key of the age-friendly template.
pub const AGE_FRIENDLY: &str = "age_friendly";

fn t(de: &str, en: &str) -> Text {
    Text::new(de, en)
}

fn choice(id: &str, de: &str, en: &str) -> Choice {
    Choice {
        id: id.into(),
        text: t(de, en),
        need: None,
    }
}

/// An option that says the person needs this kind of help.
fn need(id: &str, de: &str, en: &str, category: HelpCategory) -> Choice {
    Choice {
        need: Some(category),
        ..choice(id, de, en)
    }
}

fn question(id: &str, de: &str, en: &str, kind: QuestionKind) -> Question {
    Question {
        id: id.into(),
        text: t(de, en),
        help: Text::default(),
        required: false,
        kind,
        show_if: None,
        need: None,
    }
}

fn agreement() -> QuestionKind {
    QuestionKind::Rating {
        style: RatingStyle::Faces,
        labels: vec![
            t("gar nicht gut", "not good at all"),
            t("eher schlecht", "rather poor"),
            t("teils, teils", "so-so"),
            t("eher gut", "rather good"),
            t("sehr gut", "very good"),
        ],
    }
}

fn scale() -> Vec<Choice> {
    vec![
        choice("never", "nie", "never"),
        choice("sometimes", "manchmal", "sometimes"),
        choice("often", "oft", "often"),
    ]
}

fn section(id: &str, de: &str, en: &str, questions: Vec<Question>) -> Section {
    Section {
        id: id.into(),
        title: t(de, en),
        questions,
    }
}

/// The age-friendly neighbourhood template.
pub fn age_friendly() -> SurveyTemplateDto {
    let mut lift = question(
        "housing_lift",
        "Gibt es in Ihrem Haus einen Aufzug?",
        "Is there a lift in your building?",
        QuestionKind::YesNo,
    );
    lift.required = true;
    let mut lift_works = question(
        "housing_lift_works",
        "Funktioniert der Aufzug meistens?",
        "Does the lift usually work?",
        QuestionKind::YesNo,
    );
    lift_works.show_if = Some(ShowIf {
        combine: Combine::All,
        rules: vec![Rule::Equals {
            question: "housing_lift".into(),
            value: "yes".into(),
        }],
    });
    let mut stairs = question(
        "housing_stairs",
        "Wie viele Stufen müssen Sie bis zu Ihrer Wohnungstür steigen?",
        "How many steps do you climb to your front door?",
        QuestionKind::Number {
            min: Some(0.0),
            max: Some(500.0),
            integer: true,
            unit: t("Stufen", "steps"),
        },
    );
    stairs.help = t("Eine ungefähre Zahl reicht.", "A rough number is enough.");
    let mut transport = question(
        "transport_used",
        "Wie sind Sie im Quartier unterwegs?",
        "How do you get around the neighbourhood?",
        QuestionKind::MultipleChoice {
            options: vec![
                choice("walk", "zu Fuß", "on foot"),
                choice(
                    "walker",
                    "mit Rollator oder Rollstuhl",
                    "with a walker or wheelchair",
                ),
                choice("bus", "mit Bus oder Bahn", "by bus or train"),
                choice("bike", "mit dem Fahrrad", "by bike"),
                choice("car", "mit dem Auto", "by car"),
                choice("driven", "jemand fährt mich", "someone drives me"),
            ],
            other: true,
            min: None,
            max: None,
        },
    );
    transport.required = true;
    let mut bus_stop = question(
        "transport_stop",
        "Wie gut erreichen Sie die nächste Haltestelle?",
        "How easily can you reach the nearest stop?",
        agreement(),
    );
    bus_stop.show_if = Some(ShowIf {
        combine: Combine::All,
        rules: vec![Rule::OneOf {
            question: "transport_used".into(),
            values: vec!["bus".into(), "walker".into()],
        }],
    });
    let mut walk_minutes = question(
        "shops_minutes",
        "Wie viele Minuten brauchen Sie zu Fuß bis zum nächsten Lebensmittelgeschäft?",
        "How many minutes does it take you to walk to the nearest food shop?",
        QuestionKind::Number {
            min: Some(0.0),
            max: Some(300.0),
            integer: true,
            unit: t("Minuten", "minutes"),
        },
    );
    walk_minutes.help = t(
        "Wenn Sie nicht zu Fuß gehen, lassen Sie die Frage leer.",
        "If you do not walk, leave this question empty.",
    );
    let mut lonely = question(
        "social_lonely",
        "Wie oft fühlen Sie sich allein?",
        "How often do you feel alone?",
        QuestionKind::SingleChoice {
            options: vec![
                choice("never", "nie", "never"),
                choice("sometimes", "manchmal", "sometimes"),
                choice("often", "oft", "often"),
            ],
            other: false,
        },
    );
    lonely.help = t(
        "Ihre Antwort bleibt anonym.",
        "Your answer stays anonymous.",
    );
    let mut wish = question(
        "wish",
        "Was würde Ihr Leben im Quartier am meisten verbessern?",
        "What would improve your life in the neighbourhood most?",
        QuestionKind::FreeText { max_length: 1000 },
    );
    wish.help = t(
        "Schreiben Sie so viel oder so wenig, wie Sie möchten.",
        "Write as much or as little as you like.",
    );
    let definition = SurveyDefinition {
        sections: vec![
            section(
                "housing",
                "Wohnen",
                "Housing",
                vec![
                    question(
                        "housing_fit",
                        "Wie gut passt Ihre Wohnung zu Ihren Bedürfnissen?",
                        "How well does your home suit your needs?",
                        agreement(),
                    ),
                    lift,
                    lift_works,
                    stairs,
                ],
            ),
            section(
                "transport",
                "Unterwegs sein",
                "Getting around",
                vec![transport, bus_stop],
            ),
            section(
                "outdoors",
                "Wege, Plätze und Bänke",
                "Paths, squares and benches",
                vec![
                    question(
                        "outdoors_paths",
                        "Wie gut kommen Sie auf den Gehwegen voran?",
                        "How easily can you get along the pavements?",
                        agreement(),
                    ),
                    question(
                        "outdoors_benches",
                        "Gibt es genug Bänke zum Ausruhen?",
                        "Are there enough benches to rest on?",
                        QuestionKind::YesNo,
                    ),
                    question(
                        "outdoors_toilets",
                        "Gibt es eine öffentliche Toilette, die Sie nutzen können?",
                        "Is there a public toilet you can use?",
                        QuestionKind::YesNo,
                    ),
                ],
            ),
            section(
                "services",
                "Einkaufen, Arzt und Apotheke",
                "Shops, doctors and pharmacy",
                vec![
                    question(
                        "services_reach",
                        "Wie gut erreichen Sie diese Orte?",
                        "How easily can you reach these places?",
                        QuestionKind::Matrix {
                            statements: vec![
                                choice("food", "Lebensmittelgeschäft", "food shop"),
                                choice("doctor", "Hausarztpraxis", "family doctor"),
                                choice("pharmacy", "Apotheke", "pharmacy"),
                                choice("bank", "Bank oder Geldautomat", "bank or cash machine"),
                            ],
                            scale: vec![
                                choice("easy", "leicht", "easily"),
                                choice("hard", "schwer", "with difficulty"),
                                choice("not", "gar nicht", "not at all"),
                            ],
                        },
                    ),
                    walk_minutes,
                ],
            ),
            section(
                "social",
                "Treffpunkte und Gemeinschaft",
                "Meeting places and community",
                vec![
                    lonely,
                    question(
                        "social_places",
                        "Wie oft besuchen Sie diese Orte?",
                        "How often do you visit these places?",
                        QuestionKind::Matrix {
                            statements: vec![
                                choice(
                                    "cafe",
                                    "Café oder Begegnungsstätte",
                                    "café or community centre",
                                ),
                                choice("church", "Kirche oder Gemeinde", "church or congregation"),
                                choice("club", "Verein oder Sportgruppe", "club or sports group"),
                            ],
                            scale: scale(),
                        },
                    ),
                ],
            ),
            section(
                "help",
                "Hilfe und Information",
                "Help and information",
                vec![
                    question(
                        "help_knows",
                        "Wissen Sie, wohin Sie sich wenden können, wenn Sie Hilfe brauchen?",
                        "Do you know where to turn when you need help?",
                        QuestionKind::YesNo,
                    ),
                    question(
                        "help_needs",
                        "Wobei hätten Sie gern Unterstützung?",
                        "What would you like support with?",
                        QuestionKind::MultipleChoice {
                            options: vec![
                                need("shopping", "Einkaufen", "shopping", Shopping),
                                need(
                                    "paperwork",
                                    "Briefe und Formulare",
                                    "letters and forms",
                                    Paperwork,
                                ),
                                need("tech", "Handy und Computer", "phone and computer", TechHelp),
                                need("company", "Gesellschaft", "company", Visit),
                                need("repairs", "kleine Reparaturen", "small repairs", Repairs),
                            ],
                            other: true,
                            min: None,
                            max: Some(3),
                        },
                    ),
                ],
            ),
            section(
                "safety",
                "Sicherheit",
                "Safety",
                vec![
                    question(
                        "safety_day",
                        "Wie sicher fühlen Sie sich tagsüber im Quartier?",
                        "How safe do you feel in the neighbourhood during the day?",
                        agreement(),
                    ),
                    question(
                        "safety_night",
                        "Wie sicher fühlen Sie sich abends?",
                        "How safe do you feel in the evening?",
                        agreement(),
                    ),
                    question(
                        "last_outing",
                        "Wann waren Sie zuletzt bei einer Veranstaltung im Quartier?",
                        "When did you last go to an event in the neighbourhood?",
                        QuestionKind::Date,
                    ),
                    wish,
                ],
            ),
        ],
    };
    SurveyTemplateDto {
        key: AGE_FRIENDLY.into(),
        title: t(
            "Gut älter werden im Quartier",
            "Growing older well in our neighbourhood",
        ),
        intro: t(
            "Wir möchten wissen, was Ihnen im Quartier fehlt. Die Fragen dauern etwa 10 Minuten. \
             Alle Fragen ohne Stern können Sie auslassen.",
            "We would like to know what you miss in the neighbourhood. The questions take about \
             10 minutes. You can skip every question without a star.",
        ),
        definition,
    }
}

/// Every template.
pub fn all() -> Vec<SurveyTemplateDto> {
    vec![age_friendly()]
}
