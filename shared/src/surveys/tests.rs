//! The rules of survey definitions and answers. The same functions run in the browser,
//! so these cases hold for both sides.

use std::collections::BTreeMap;

use super::*;

fn t(s: &str) -> Text {
    Text::new(s, s)
}

fn q(id: &str, kind: QuestionKind) -> Question {
    Question {
        id: id.into(),
        text: t(id),
        help: Text::default(),
        required: false,
        kind,
        show_if: None,
        need: None,
    }
}

fn choices(ids: &[&str]) -> Vec<Choice> {
    ids.iter()
        .map(|id| Choice {
            id: (*id).into(),
            text: t(id),
            need: None,
        })
        .collect()
}

fn one_section(questions: Vec<Question>) -> SurveyDefinition {
    SurveyDefinition {
        sections: vec![Section {
            id: "s1".into(),
            title: t("Section"),
            questions,
        }],
    }
}

fn codes(errors: &[crate::FieldError]) -> Vec<(String, String)> {
    errors
        .iter()
        .map(|e| (e.field.clone(), e.code.clone()))
        .collect()
}

fn equals(question: &str, value: &str) -> ShowIf {
    ShowIf {
        combine: Combine::All,
        rules: vec![Rule::Equals {
            question: question.into(),
            value: value.into(),
        }],
    }
}

#[test]
fn the_template_is_valid_and_fully_translated() {
    let template = template::age_friendly();
    assert_eq!(template.definition.problems(), vec![]);
    assert_eq!(template.definition.missing_translations(), 0);
    assert!(template.definition.questions().count() >= 15);
    assert!(template.definition.questions().any(|q| q.show_if.is_some()));
}

#[test]
fn conditions_may_only_look_back() {
    let mut later = q("a", QuestionKind::YesNo);
    later.show_if = Some(equals("b", "yes"));
    let def = one_section(vec![later, q("b", QuestionKind::YesNo)]);
    assert_eq!(
        codes(&def.problems()),
        vec![(
            "definition.sections[0].questions[0].show_if.rules[0]".into(),
            "refers_to_later_question".into()
        )]
    );

    let mut itself = q("a", QuestionKind::YesNo);
    itself.show_if = Some(equals("a", "yes"));
    let def = one_section(vec![itself]);
    assert_eq!(codes(&def.problems())[0].1, "cycle");

    let mut unknown = q("a", QuestionKind::YesNo);
    unknown.show_if = Some(equals("zzz", "yes"));
    assert_eq!(
        codes(&one_section(vec![unknown]).problems())[0].1,
        "unknown_question"
    );

    let mut bad_value = q("b", QuestionKind::YesNo);
    bad_value.show_if = Some(equals("a", "maybe"));
    let def = one_section(vec![q("a", QuestionKind::YesNo), bad_value]);
    assert_eq!(codes(&def.problems())[0].1, "unknown_option");
}

#[test]
fn definitions_refuse_duplicates_and_empty_lists() {
    let def = one_section(vec![
        q("a", QuestionKind::YesNo),
        q("a", QuestionKind::Date),
        q(
            "c",
            QuestionKind::SingleChoice {
                options: choices(&["x"]),
                other: false,
            },
        ),
        q(
            "d",
            QuestionKind::Rating {
                style: RatingStyle::Words,
                labels: vec![t("bad")],
            },
        ),
        q("e", QuestionKind::FreeText { max_length: 0 }),
        q(
            "f",
            QuestionKind::SingleChoice {
                options: choices(&["other", "x"]),
                other: true,
            },
        ),
    ]);
    let found: Vec<String> = def.problems().into_iter().map(|e| e.code).collect();
    for code in [
        "duplicate",
        "too_few_options",
        "five_labels",
        "out_of_range",
        "reserved",
    ] {
        assert!(
            found.contains(&code.to_owned()),
            "{code} missing in {found:?}"
        );
    }
    assert_eq!(
        codes(&SurveyDefinition::default().problems()),
        vec![("definition.sections".into(), "required".into())]
    );
}

fn every_kind() -> SurveyDefinition {
    let mut required = q("yes", QuestionKind::YesNo);
    required.required = true;
    let mut follow_up = q("why", QuestionKind::FreeText { max_length: 10 });
    follow_up.required = true;
    follow_up.show_if = Some(equals("yes", "no"));
    one_section(vec![
        required,
        follow_up,
        q(
            "single",
            QuestionKind::SingleChoice {
                options: choices(&["a", "b"]),
                other: true,
            },
        ),
        q(
            "multi",
            QuestionKind::MultipleChoice {
                options: choices(&["a", "b", "c"]),
                other: false,
                min: Some(1),
                max: Some(2),
            },
        ),
        q(
            "rating",
            QuestionKind::Rating {
                style: RatingStyle::Faces,
                labels: (1..=5).map(|n| t(&n.to_string())).collect(),
            },
        ),
        q(
            "number",
            QuestionKind::Number {
                min: Some(0.0),
                max: Some(120.0),
                integer: true,
                unit: t("Jahre"),
            },
        ),
        q("date", QuestionKind::Date),
        q(
            "matrix",
            QuestionKind::Matrix {
                statements: choices(&["s1", "s2"]),
                scale: choices(&["good", "bad"]),
            },
        ),
    ])
}

fn answers(pairs: &[(&str, Answer)]) -> Answers {
    pairs
        .iter()
        .map(|(k, v)| ((*k).to_owned(), v.clone()))
        .collect()
}

fn problem_of(def: &SurveyDefinition, pairs: &[(&str, Answer)]) -> Vec<(String, String)> {
    codes(&def.answer_problems(&answers(pairs)))
}

#[test]
fn a_complete_valid_response_passes() {
    let def = every_kind();
    let good = [
        ("yes", Answer::YesNo { value: true }),
        (
            "single",
            Answer::Choice {
                option: "other".into(),
                other_text: Some("Markt".into()),
            },
        ),
        (
            "multi",
            Answer::Choices {
                options: vec!["a".into(), "c".into()],
                other_text: None,
            },
        ),
        ("rating", Answer::Rating { value: 5 }),
        ("number", Answer::Number { value: 78.0 }),
        (
            "date",
            Answer::Date {
                value: "2026-02-28".into(),
            },
        ),
        (
            "matrix",
            Answer::Matrix {
                rows: BTreeMap::from([("s1".into(), "good".into())]),
            },
        ),
    ];
    assert_eq!(problem_of(&def, &good), vec![]);
}

#[test]
fn a_draft_keeps_what_is_unfinished_and_refuses_what_can_never_fit() {
    let def = every_kind();
    // Unfinished: no required answer yet, too few choices, "other" without its text,
    // a number still being typed, an empty text, a hidden follow-up.
    let unfinished = [
        (
            "single",
            Answer::Choice {
                option: "other".into(),
                other_text: None,
            },
        ),
        (
            "multi",
            Answer::Choices {
                options: vec![],
                other_text: None,
            },
        ),
        ("number", Answer::Number { value: 1200.0 }),
        ("why", Answer::Text { value: " ".into() }),
    ];
    assert_eq!(codes(&def.draft_problems(&answers(&unfinished))), vec![]);
    // Never right: a rating of 9, an option the question lacks, the wrong kind, a text
    // beyond its length, an overlong "other" text beside too few choices.
    let never = [
        ("rating", Answer::Rating { value: 9 }),
        (
            "single",
            Answer::Choice {
                option: "z".into(),
                other_text: None,
            },
        ),
        ("yes", Answer::Rating { value: 3 }),
        (
            "why",
            Answer::Text {
                value: "x".repeat(11),
            },
        ),
        (
            "multi",
            Answer::Choices {
                options: vec![],
                other_text: Some("x".repeat(MAX_OTHER_CHARS + 1)),
            },
        ),
        ("nope", Answer::YesNo { value: true }),
    ];
    let mut found = codes(&def.draft_problems(&answers(&never)));
    found.sort();
    let want = |k: &str, c: &str| (format!("answers.{k}"), c.to_owned());
    assert_eq!(
        found,
        vec![
            want("multi", "too_long"),
            want("nope", "unknown_question"),
            want("rating", "out_of_range"),
            want("single", "unknown_option"),
            want("why", "too_long"),
            want("yes", "wrong_type"),
        ]
    );
}

#[test]
fn each_kind_refuses_what_does_not_fit() {
    let def = every_kind();
    let yes = ("yes", Answer::YesNo { value: true });
    let cases: Vec<((&str, Answer), &str)> = vec![
        (
            (
                "single",
                Answer::Choice {
                    option: "z".into(),
                    other_text: None,
                },
            ),
            "unknown_option",
        ),
        (
            (
                "single",
                Answer::Choice {
                    option: "other".into(),
                    other_text: None,
                },
            ),
            "other_text_required",
        ),
        (
            (
                "single",
                Answer::Choice {
                    option: "a".into(),
                    other_text: Some("x".into()),
                },
            ),
            "other_text_without_other",
        ),
        (("single", Answer::Rating { value: 3 }), "wrong_type"),
        (
            (
                "multi",
                Answer::Choices {
                    options: vec![],
                    other_text: None,
                },
            ),
            "too_few",
        ),
        (
            (
                "multi",
                Answer::Choices {
                    options: vec!["a".into(), "b".into(), "c".into()],
                    other_text: None,
                },
            ),
            "too_many",
        ),
        (
            (
                "multi",
                Answer::Choices {
                    options: vec!["a".into(), "a".into()],
                    other_text: None,
                },
            ),
            "duplicate_option",
        ),
        (("rating", Answer::Rating { value: 0 }), "out_of_range"),
        (("rating", Answer::Rating { value: 6 }), "out_of_range"),
        (("number", Answer::Number { value: 12.5 }), "not_integer"),
        (("number", Answer::Number { value: -1.0 }), "too_small"),
        (("number", Answer::Number { value: 121.0 }), "too_large"),
        (
            (
                "date",
                Answer::Date {
                    value: "2026-02-30".into(),
                },
            ),
            "invalid_date",
        ),
        (
            (
                "date",
                Answer::Date {
                    value: "30.01.2026".into(),
                },
            ),
            "invalid_date",
        ),
        (
            (
                "matrix",
                Answer::Matrix {
                    rows: BTreeMap::from([("s9".into(), "good".into())]),
                },
            ),
            "unknown_option",
        ),
        (("nope", Answer::YesNo { value: true }), "unknown_question"),
    ];
    for ((key, answer), code) in cases {
        let found = problem_of(&def, &[yes.clone(), (key, answer.clone())]);
        assert_eq!(
            found,
            vec![(format!("answers.{key}"), code.to_owned())],
            "{key}: {answer:?}"
        );
    }
}

#[test]
fn conditions_decide_what_is_shown_required_and_allowed() {
    let def = every_kind();
    // Required and unanswered.
    assert_eq!(
        problem_of(&def, &[]),
        vec![("answers.yes".into(), "required".into())]
    );
    // "no" shows the required follow-up question.
    assert_eq!(
        problem_of(&def, &[("yes", Answer::YesNo { value: false })]),
        vec![("answers.why".into(), "required".into())]
    );
    // "yes" hides it, and an answer to a hidden question is refused.
    assert_eq!(
        problem_of(
            &def,
            &[
                ("yes", Answer::YesNo { value: true }),
                (
                    "why",
                    Answer::Text {
                        value: "weil".into()
                    }
                )
            ]
        ),
        vec![("answers.why".into(), "not_shown".into())]
    );
    let pruned = def.prune_hidden(&answers(&[
        ("yes", Answer::YesNo { value: true }),
        (
            "why",
            Answer::Text {
                value: "weil".into(),
            },
        ),
    ]));
    assert!(!pruned.contains_key("why"));
    // Too long for the follow-up's 10 characters.
    assert_eq!(
        problem_of(
            &def,
            &[
                ("yes", Answer::YesNo { value: false }),
                (
                    "why",
                    Answer::Text {
                        value: "viel zu lange Antwort".into()
                    }
                )
            ]
        ),
        vec![("answers.why".into(), "too_long".into())]
    );
}

#[test]
fn any_combines_rules_with_or() {
    let mut c = q("c", QuestionKind::Date);
    c.show_if = Some(ShowIf {
        combine: Combine::Any,
        rules: vec![
            Rule::Equals {
                question: "a".into(),
                value: "yes".into(),
            },
            Rule::Answered {
                question: "b".into(),
            },
        ],
    });
    let def = one_section(vec![
        q("a", QuestionKind::YesNo),
        q("b", QuestionKind::Date),
        c,
    ]);
    assert!(!def.visible(&Answers::new()).contains("c"));
    assert!(
        def.visible(&answers(&[("a", Answer::YesNo { value: true })]))
            .contains("c")
    );
    assert!(
        def.visible(&answers(&[(
            "b",
            Answer::Date {
                value: "2026-01-01".into()
            }
        )]))
        .contains("c")
    );
    let mut all = def.clone();
    if let Some(show_if) = &mut all.sections[0].questions[2].show_if {
        show_if.combine = Combine::All;
    }
    assert!(
        !all.visible(&answers(&[("a", Answer::YesNo { value: true })]))
            .contains("c")
    );
}

#[test]
fn hiding_a_question_hides_what_depends_on_it() {
    // a → b (shown when a is "yes") → c (shown when b is answered).
    let mut b = q("b", QuestionKind::Date);
    b.show_if = Some(equals("a", "yes"));
    let mut c = q("c", QuestionKind::YesNo);
    c.show_if = Some(ShowIf {
        combine: Combine::All,
        rules: vec![Rule::Answered {
            question: "b".into(),
        }],
    });
    let def = one_section(vec![q("a", QuestionKind::YesNo), b, c]);
    let date = || Answer::Date {
        value: "2026-01-01".into(),
    };
    let shown = def.visible(&answers(&[
        ("a", Answer::YesNo { value: true }),
        ("b", date()),
    ]));
    assert!(shown.contains("b") && shown.contains("c"));
    // The person went back and said "no": b is hidden, and its answer, still there,
    // no longer shows c.
    let back = answers(&[
        ("a", Answer::YesNo { value: false }),
        ("b", date()),
        ("c", Answer::YesNo { value: true }),
    ]);
    let shown = def.visible(&back);
    assert!(!shown.contains("b") && !shown.contains("c"));
    assert_eq!(
        codes(&def.answer_problems(&back)),
        vec![
            ("answers.b".into(), "not_shown".into()),
            ("answers.c".into(), "not_shown".into())
        ]
    );
}

#[test]
fn small_groups_are_suppressed() {
    assert_eq!(suppress(0), Some(0));
    assert_eq!(suppress(1), None);
    assert_eq!(suppress(4), None);
    assert_eq!(suppress(5), Some(5));
}

#[test]
fn answers_round_trip_as_json() {
    let a = answers(&[
        (
            "x",
            Answer::Choice {
                option: "a".into(),
                other_text: None,
            },
        ),
        (
            "m",
            Answer::Matrix {
                rows: BTreeMap::from([("s".into(), "p".into())]),
            },
        ),
    ]);
    let json = serde_json::to_string(&a).unwrap();
    assert_eq!(
        json,
        r#"{"m":{"type":"matrix","rows":{"s":"p"}},"x":{"type":"choice","option":"a"}}"#
    );
    let back: Answers = serde_json::from_str(&json).unwrap();
    assert_eq!(back, a);
}

/// Every variant of the tagged enums reads back what it wrote, whatever the order of
/// the fields (PostgreSQL's `jsonb` sorts them), and what does not fit is refused.
#[test]
fn tagged_enums_read_their_own_json_in_any_field_order() {
    let kinds = [
        QuestionKind::SingleChoice {
            options: vec![Choice {
                id: "a".into(),
                text: t("A"),
                need: None,
            }],
            other: true,
        },
        QuestionKind::MultipleChoice {
            options: Vec::new(),
            other: false,
            min: Some(1),
            max: Some(3),
        },
        QuestionKind::Rating {
            style: RatingStyle::Faces,
            labels: vec![t("bad"), t("good")],
        },
        QuestionKind::YesNo,
        QuestionKind::Number {
            min: Some(-1.5),
            max: None,
            integer: true,
            unit: t("min"),
        },
        QuestionKind::FreeText { max_length: 300 },
        QuestionKind::Date,
        QuestionKind::Matrix {
            statements: Vec::new(),
            scale: Vec::new(),
        },
    ];
    for kind in kinds {
        let json = serde_json::to_value(&kind).unwrap();
        assert_eq!(serde_json::from_value::<QuestionKind>(json).unwrap(), kind);
    }
    let rules = [
        Rule::Equals {
            question: "q".into(),
            value: "yes".into(),
        },
        Rule::OneOf {
            question: "q".into(),
            values: vec!["a".into()],
        },
        Rule::Answered {
            question: "q".into(),
        },
        Rule::NotAnswered {
            question: "q".into(),
        },
    ];
    for rule in rules {
        let json = serde_json::to_value(&rule).unwrap();
        assert_eq!(serde_json::from_value::<Rule>(json).unwrap(), rule);
    }
    let all = [
        Answer::Choices {
            options: vec!["a".into(), "other".into()],
            other_text: Some("x".into()),
        },
        Answer::Rating { value: 5 },
        Answer::YesNo { value: false },
        Answer::Number { value: -2.5 },
        Answer::Number { value: 7.0 },
        Answer::Text {
            value: "Bank".into(),
        },
        Answer::Date {
            value: "2026-12-24".into(),
        },
    ];
    for answer in all {
        let json = serde_json::to_value(&answer).unwrap();
        assert_eq!(serde_json::from_value::<Answer>(json).unwrap(), answer);
    }
    let tag_last: Answer = serde_json::from_str(r#"{"value":3,"type":"rating"}"#).unwrap();
    assert_eq!(tag_last, Answer::Rating { value: 3 });
    let number: Answer = serde_json::from_str(r#"{"value":-4,"type":"number"}"#).unwrap();
    assert_eq!(number, Answer::Number { value: -4.0 });
    for bad in [
        r#"{"type":"rating","value":300}"#,
        r#"{"type":"rating","value":2.5}"#,
        r#"{"type":"rating","value":"3"}"#,
        r#"{"type":"yes_no","value":1}"#,
        r#"{"type":"text","value":true}"#,
        r#"{"type":"choice"}"#,
        r#"{"type":"guess","value":1}"#,
        r#"{"value":1}"#,
    ] {
        assert!(serde_json::from_str::<Answer>(bad).is_err(), "{bad}");
    }
    for bad in [
        r#"{"type":"multiple_choice","options":[],"min":1.5}"#,
        r#"{"type":"multiple_choice","options":[],"max":-1}"#,
        r#"{"type":"free_text"}"#,
        r#"{"type":"single_choice","options":[],"options":[]}"#,
    ] {
        assert!(serde_json::from_str::<QuestionKind>(bad).is_err(), "{bad}");
    }
    assert!(serde_json::from_str::<Rule>(r#"{"op":"equals","question":"q"}"#).is_err());
}

/// A "yes" to a need question, or a chosen option marked as a need, is a need, once; a
/// "no", an unmarked option and a question no longer shown are not.
#[test]
fn needs_are_the_marked_yes_answers_and_options_that_are_shown() {
    use crate::help::HelpCategory::{Paperwork, Shopping, Visit};
    let mut shopping = q("shopping", QuestionKind::YesNo);
    shopping.need = Some(Shopping);
    let mut visit = q("visit", QuestionKind::YesNo);
    visit.need = Some(Visit);
    let mut options = choices(&["letters", "shops", "chat"]);
    options[0].need = Some(Paperwork);
    options[1].need = Some(Shopping);
    let mut which = q(
        "which",
        QuestionKind::MultipleChoice {
            options,
            other: false,
            min: None,
            max: None,
        },
    );
    which.show_if = Some(ShowIf {
        combine: Combine::All,
        rules: vec![Rule::Equals {
            question: "visit".into(),
            value: "no".into(),
        }],
    });
    let def = one_section(vec![shopping, visit, which]);
    assert!(def.problems().is_empty(), "{:?}", def.problems());
    let chosen = |options: &[&str]| Answer::Choices {
        options: options.iter().map(|o| (*o).to_owned()).collect(),
        other_text: None,
    };
    assert_eq!(
        def.needs(&answers(&[
            ("shopping", Answer::YesNo { value: true }),
            ("visit", Answer::YesNo { value: false }),
            ("which", chosen(&["chat", "shops", "letters"])),
        ])),
        vec![Shopping, Paperwork],
        "each need once, in the survey's order; the unmarked option is none"
    );
    assert_eq!(
        def.needs(&answers(&[
            ("shopping", Answer::YesNo { value: false }),
            ("visit", Answer::YesNo { value: true }),
            ("which", chosen(&["shops"])),
        ])),
        vec![Visit],
        "a no is no need, and the hidden question's answer does not count"
    );
    assert!(def.needs(&Answers::new()).is_empty());
}

/// A need fits a yes/no question or a choice question's options, nothing else.
#[test]
fn needs_on_other_questions_are_refused() {
    let mut rating = q("r", QuestionKind::Date);
    rating.need = Some(crate::help::HelpCategory::Garden);
    let mut scale = choices(&["never", "often"]);
    scale[1].need = Some(crate::help::HelpCategory::Garden);
    let matrix = q(
        "m",
        QuestionKind::Matrix {
            statements: choices(&["a"]),
            scale,
        },
    );
    let fields: Vec<(String, String)> = one_section(vec![rating, matrix])
        .problems()
        .into_iter()
        .map(|e| (e.field, e.code))
        .collect();
    assert_eq!(
        fields,
        vec![
            (
                "definition.sections[0].questions[0].need".to_owned(),
                "need_requires_yes_no".to_owned()
            ),
            (
                "definition.sections[0].questions[1].kind.scale[1].need".to_owned(),
                "need_not_allowed".to_owned()
            ),
        ]
    );
}
