//! Sections, questions, their kinds and show-if conditions, in the editor.
//!
//! Lists render again when the structure changes ([`Editor::reshape`]); every
//! structural button says where the focus goes next, so keyboard users stay in place.

use leptos::prelude::*;
use shared::surveys::{
    Choice, Combine, OTHER, Question, QuestionKind, RatingStyle, Rule, Section, ShowIf,
    SurveyRequest, Text as Content,
};

use super::{
    AuthoringTexts,
    fields::{At, BiText, Editor, InlineErrors, List, NumberField, dom_id},
    ui,
};
use crate::{
    i18n::fill,
    prefs::{use_prefs, use_texts},
};

type Label = fn(&'static AuthoringTexts) -> &'static str;

fn q_path(s: usize, q: usize) -> String {
    format!("definition.sections[{s}].questions[{q}]")
}

/// The first key `prefix1`, `prefix2`, … not in `taken`.
fn fresh_key<'a>(prefix: &str, taken: impl Iterator<Item = &'a str>) -> String {
    let taken: Vec<&str> = taken.collect();
    (1..)
        .map(|n| format!("{prefix}{n}"))
        .find(|key| !taken.contains(&key.as_str()))
        .unwrap_or_default()
}

fn choice(id: &str, de: &str, en: &str) -> Choice {
    Choice {
        id: id.to_owned(),
        text: Content::new(de, en),
        need: None,
    }
}

fn blank_question(id: String) -> Question {
    Question {
        id,
        text: Content::default(),
        help: Content::default(),
        required: false,
        kind: QuestionKind::YesNo,
        show_if: None,
        need: None,
    }
}

/// An empty survey: one section with one question, for the given quarters.
pub fn blank_request(quarter_ids: Vec<shared::accounts::Uuid>) -> SurveyRequest {
    SurveyRequest {
        title: Content::default(),
        intro: Content::default(),
        quarter_ids,
        opens_at: None,
        closes_at: None,
        anonymous: true,
        access: shared::surveys::SurveyAccess {
            public_link: true,
            ..Default::default()
        },
        profile_questions: true,
        definition: shared::surveys::SurveyDefinition {
            sections: vec![Section {
                id: "s1".into(),
                title: Content::default(),
                questions: vec![blank_question("q1".into())],
            }],
        },
    }
}

const KINDS: [&str; 8] = [
    "single_choice",
    "multiple_choice",
    "rating",
    "yes_no",
    "number",
    "free_text",
    "date",
    "matrix",
];

/// A question of kind `name`, keeping what fits from `old` (its options).
fn new_kind(name: &str, old: &QuestionKind) -> QuestionKind {
    let (options, other) = match old {
        QuestionKind::SingleChoice { options, other }
        | QuestionKind::MultipleChoice { options, other, .. } => (options.clone(), *other),
        _ => (vec![choice("o1", "", ""), choice("o2", "", "")], false),
    };
    match name {
        "single_choice" => QuestionKind::SingleChoice { options, other },
        "multiple_choice" => QuestionKind::MultipleChoice {
            options,
            other,
            min: None,
            max: None,
        },
        "rating" => QuestionKind::Rating {
            style: RatingStyle::Faces,
            labels: [
                ("sehr schlecht", "very poor"),
                ("eher schlecht", "rather poor"),
                ("teils, teils", "so-so"),
                ("eher gut", "rather good"),
                ("sehr gut", "very good"),
            ]
            .map(|(de, en)| Content::new(de, en))
            .to_vec(),
        },
        "number" => QuestionKind::Number {
            min: None,
            max: None,
            integer: false,
            unit: Content::default(),
        },
        "free_text" => QuestionKind::FreeText { max_length: 500 },
        "date" => QuestionKind::Date,
        "matrix" => QuestionKind::Matrix {
            statements: vec![choice("st1", "", "")],
            scale: vec![
                choice("never", "nie", "never"),
                choice("sometimes", "manchmal", "sometimes"),
                choice("often", "oft", "often"),
            ],
        },
        _ => QuestionKind::YesNo,
    }
}

/// A button that changes the structure. Its visible text is the action; the
/// accessible name adds where (`context`), so ten "Move up" buttons differ.
#[component]
fn Tool(
    id: String,
    label: Label,
    context: Signal<String>,
    on_click: Callback<()>,
) -> impl IntoView {
    view! {
        <button type="button" class="button button--secondary" id=id.clone() data-testid=id
            on:click=move |_| on_click.run(())>
            {ui(label)}
            <span class="visually-hidden">{" – "}{move || context.get()}</span>
        </button>
    }
}

/// A checkbox with its label.
#[component]
pub fn Check(
    id: String,
    label: Label,
    checked: Signal<bool>,
    on_change: Callback<bool>,
    #[prop(optional)] hint: Option<Label>,
) -> impl IntoView {
    let hint_id = format!("{id}-hint");
    view! {
        <div class="field field--checkbox">
            <div class="checkbox">
                <input type="checkbox" id=id.clone() data-testid=id.clone()
                    aria-describedby=hint.map(|_| hint_id.clone())
                    prop:checked=move || checked.get()
                    on:change=move |ev| on_change.run(event_target_checked(&ev)) />
                <label for=id>{ui(label)}</label>
            </div>
            {hint.map(|hint| view! { <p class="field__hint" id=hint_id>{ui(hint)}</p> })}
        </div>
    }
}

/// A `<select>` with its label; `options` are `(value, text)`.
#[component]
fn Pick(
    id: String,
    label: Label,
    value: Signal<String>,
    options: Signal<Vec<(String, String)>>,
    on_change: Callback<String>,
) -> impl IntoView {
    let options = move || {
        options
            .get()
            .into_iter()
            .map(|(v, text)| {
                let selected = {
                    let v = v.clone();
                    move || value.with(|x| *x == v)
                };
                view! { <option value=v prop:selected=selected>{text}</option> }
            })
            .collect_view()
    };
    view! {
        <div class="field">
            <label class="field__label" for=id.clone()>{ui(label)}</label>
            <select id=id.clone() data-testid=id on:change=move |ev| on_change.run(event_target_value(&ev))>
                {options}
            </select>
        </div>
    }
}

/// All sections, and a button to add one.
#[component]
pub fn Sections(editor: Editor) -> impl IntoView {
    let list = move || {
        editor.shape.track();
        let n = editor.draft.with_untracked(|r| r.definition.sections.len());
        (0..n)
            .map(|s| view! { <SectionEditor editor s count=n /> })
            .collect_view()
    };
    let add = move |_| {
        let n = editor.draft.with_untracked(|r| r.definition.sections.len());
        editor.reshape(format!("{}-de", dom_id(&At::Section(n).path())), |r| {
            let id = fresh_key("s", r.definition.sections.iter().map(|s| s.id.as_str()));
            let qid = fresh_key("q", r.definition.questions().map(|q| q.id.as_str()));
            r.definition.sections.push(Section {
                id,
                title: Content::default(),
                questions: vec![blank_question(qid)],
            });
        });
    };
    view! {
        <InlineErrors editor path="definition.sections".to_owned() exact=true />
        {list}
        <button type="button" class="button button--secondary" id="add-section" data-testid="add-section" on:click=add>
            {ui(|a| a.add_section)}
        </button>
    }
}

#[component]
fn SectionEditor(editor: Editor, s: usize, count: usize) -> impl IntoView {
    let t = use_texts();
    let heading_id = format!("section-{s}-heading");
    let name = Signal::derive(move || {
        fill(
            t().authoring.section_heading,
            &[("n", &(s + 1).to_string())],
        )
    });
    let questions = move || {
        let n = editor.draft.with_untracked(|r| {
            r.definition
                .sections
                .get(s)
                .map_or(0, |x| x.questions.len())
        });
        (0..n)
            .map(|q| view! { <QuestionEditor editor s q /> })
            .collect_view()
    };
    let add_question = Callback::new(move |()| {
        let n = editor.draft.with_untracked(|r| {
            r.definition
                .sections
                .get(s)
                .map_or(0, |x| x.questions.len())
        });
        editor.reshape(format!("{}-de", dom_id(&At::Question(s, n).path())), |r| {
            let id = fresh_key("q", r.definition.questions().map(|q| q.id.as_str()));
            if let Some(x) = r.definition.sections.get_mut(s) {
                x.questions.push(blank_question(id));
            }
        });
    });
    let move_by = move |to: usize| {
        Callback::new(move |()| {
            editor.reshape(
                format!("section-{to}-{}", if to < s { "up" } else { "down" }),
                |r| {
                    r.definition.sections.swap(s, to);
                },
            );
        })
    };
    let remove = Callback::new(move |()| {
        editor.reshape("add-section".into(), |r| {
            r.definition.sections.remove(s);
        });
    });
    view! {
        <section class="card author-section" aria-labelledby=heading_id.clone() data-testid=format!("section-{s}")>
            <h3 id=heading_id.clone()>{name}</h3>
            <BiText editor at=At::Section(s) label=|a| a.section_title required=true />
            <InlineErrors editor path=format!("definition.sections[{s}].id") exact=true />
            {questions}
            <div class="actions">
                <Tool id=format!("section-{s}-add-question") label=|a| a.add_question context=name on_click=add_question />
                {(s > 0).then(|| view! { <Tool id=format!("section-{s}-up") label=|a| a.move_up context=name on_click=move_by(s - 1) /> })}
                {(s + 1 < count).then(|| view! { <Tool id=format!("section-{s}-down") label=|a| a.move_down context=name on_click=move_by(s + 1) /> })}
                {(count > 1).then(|| view! { <Tool id=format!("section-{s}-remove") label=|a| a.remove context=name on_click=remove /> })}
            </div>
        </section>
    }
}

#[component]
fn QuestionEditor(editor: Editor, s: usize, q: usize) -> impl IntoView {
    let t = use_texts();
    let path = q_path(s, q);
    let key = super::fields::dom_key(&path);
    let heading_id = format!("{key}-heading");
    let name = Signal::derive(move || {
        format!(
            "{}, {}",
            fill(
                t().authoring.section_heading,
                &[("n", &(s + 1).to_string())]
            ),
            fill(
                t().authoring.question_heading,
                &[("n", &(q + 1).to_string())]
            )
        )
    });
    let count = editor.draft.with_untracked(|r| {
        r.definition
            .sections
            .get(s)
            .map_or(0, |x| x.questions.len())
    });
    let sections = editor.draft.with_untracked(|r| r.definition.sections.len());
    let required = Signal::derive(move || {
        editor.draft.with(|r| {
            r.definition
                .sections
                .get(s)
                .and_then(|x| x.questions.get(q))
                .is_some_and(|x| x.required)
        })
    });
    let set_required = Callback::new(move |on| {
        editor.edit(|r| {
            if let Some(x) = r
                .definition
                .sections
                .get_mut(s)
                .and_then(|x| x.questions.get_mut(q))
            {
                x.required = on;
            }
        })
    });
    let kind_id = format!("{key}-kind");
    let kind = Signal::derive(move || {
        editor.draft.with(|r| {
            r.definition
                .sections
                .get(s)
                .and_then(|x| x.questions.get(q))
                .map(|x| x.kind.name().to_owned())
                .unwrap_or_default()
        })
    });
    let kinds = Signal::derive(move || {
        KINDS
            .iter()
            .map(|k| ((*k).to_owned(), t().authoring.kind(k).to_owned()))
            .collect()
    });
    let set_kind = {
        let kind_id = kind_id.clone();
        Callback::new(move |name: String| {
            editor.reshape(kind_id.clone(), |r| {
                if let Some(x) = r
                    .definition
                    .sections
                    .get_mut(s)
                    .and_then(|x| x.questions.get_mut(q))
                {
                    x.kind = new_kind(&name, &x.kind);
                }
            })
        })
    };
    // Up and down also cross into the section before or after.
    let move_up = Callback::new(move |()| {
        let focus = if q > 0 {
            format!("s{s}-q{}-up", q - 1)
        } else {
            let before = editor.draft.with_untracked(|r| {
                r.definition
                    .sections
                    .get(s.wrapping_sub(1))
                    .map_or(0, |x| x.questions.len())
            });
            format!("s{}-q{before}-up", s.wrapping_sub(1))
        };
        editor.reshape(focus, |r| {
            let sections = &mut r.definition.sections;
            if q > 0 {
                sections[s].questions.swap(q, q - 1);
            } else if s > 0 {
                let question = sections[s].questions.remove(0);
                sections[s - 1].questions.push(question);
            }
        });
    });
    let move_down = Callback::new(move |()| {
        let focus = if q + 1 < count {
            format!("s{s}-q{}-down", q + 1)
        } else {
            format!("s{}-q0-down", s + 1)
        };
        editor.reshape(focus, |r| {
            let sections = &mut r.definition.sections;
            if q + 1 < sections[s].questions.len() {
                sections[s].questions.swap(q, q + 1);
            } else if s + 1 < sections.len() {
                let question = sections[s].questions.remove(q);
                sections[s + 1].questions.insert(0, question);
            }
        });
    });
    let remove = Callback::new(move |()| {
        editor.reshape(format!("section-{s}-add-question"), |r| {
            if let Some(x) = r.definition.sections.get_mut(s) {
                x.questions.remove(q);
            }
        });
    });
    view! {
        <div class="card author-question" role="group" aria-labelledby=heading_id.clone() data-testid=key.clone()>
            <h4 id=heading_id.clone()>{move || fill(t().authoring.question_heading, &[("n", &(q + 1).to_string())])}</h4>
            <BiText editor at=At::Question(s, q) label=|a| a.question_text required=true multiline=true />
            <BiText editor at=At::Help(s, q) label=|a| a.question_help />
            <Check id=format!("{key}-required") label=|a| a.required checked=required on_change=set_required />
            <Pick id=kind_id label=|a| a.kind value=kind options=kinds on_change=set_kind />
            <KindSettings editor s q />
            <Conditions editor s q />
            <div class="actions">
                {(s > 0 || q > 0).then(|| view! { <Tool id=format!("s{s}-q{q}-up") label=|a| a.move_up context=name on_click=move_up /> })}
                {(q + 1 < count || s + 1 < sections).then(|| view! { <Tool id=format!("s{s}-q{q}-down") label=|a| a.move_down context=name on_click=move_down /> })}
                {(count > 1).then(|| view! { <Tool id=format!("s{s}-q{q}-remove") label=|a| a.remove context=name on_click=remove /> })}
            </div>
        </div>
    }
}

#[component]
fn KindSettings(editor: Editor, s: usize, q: usize) -> impl IntoView {
    let t = use_texts();
    let path = q_path(s, q);
    let key = super::fields::dom_key(&path);
    let Some(kind) = editor.kind(s, q, Clone::clone) else {
        return ().into_any();
    };
    let other_id = format!("{key}-other");
    let other = move || {
        let id = other_id.clone();
        let checked = Signal::derive(move || {
            editor.draft.with(|r| {
                matches!(
                    r.definition
                        .sections
                        .get(s)
                        .and_then(|x| x.questions.get(q))
                        .map(|x| &x.kind),
                    Some(
                        QuestionKind::SingleChoice { other: true, .. }
                            | QuestionKind::MultipleChoice { other: true, .. }
                    )
                )
            })
        });
        let set = Callback::new(move |on| {
            editor.edit_kind(s, q, |k| match k {
                QuestionKind::SingleChoice { other, .. }
                | QuestionKind::MultipleChoice { other, .. } => *other = on,
                _ => {}
            })
        });
        view! { <Check id label=|a| a.other_option checked on_change=set /> }
    };
    match kind {
        QuestionKind::SingleChoice { .. } => view! {
            <ChoiceList editor s q list=List::Options legend=|a| a.options heading=|a| a.option_heading add=|a| a.add_option />
            {other()}
        }.into_any(),
        QuestionKind::MultipleChoice { .. } => view! {
            <ChoiceList editor s q list=List::Options legend=|a| a.options heading=|a| a.option_heading add=|a| a.add_option />
            {other()}
            <NumberField editor s q field="min" label=|a| a.min_choices
                get=|k| match k { QuestionKind::MultipleChoice { min, .. } => min.map(f64::from), _ => None }
                set=|k, v| if let QuestionKind::MultipleChoice { min, .. } = k { *min = v.map(|v| v.max(0.0) as u32) } />
            <NumberField editor s q field="max" label=|a| a.max_choices
                get=|k| match k { QuestionKind::MultipleChoice { max, .. } => max.map(f64::from), _ => None }
                set=|k, v| if let QuestionKind::MultipleChoice { max, .. } = k { *max = v.map(|v| v.max(0.0) as u32) } />
        }.into_any(),
        QuestionKind::Rating { .. } => {
            let style = Signal::derive(move || {
                editor.draft.with(|r| match r.definition.sections.get(s).and_then(|x| x.questions.get(q)).map(|x| &x.kind) {
                    Some(QuestionKind::Rating { style: RatingStyle::Words, .. }) => "words".to_owned(),
                    _ => "faces".to_owned(),
                })
            });
            let styles = Signal::derive(move || {
                let a = &t().authoring;
                vec![("faces".to_owned(), a.rating_faces.to_owned()), ("words".to_owned(), a.rating_words.to_owned())]
            });
            let set_style = Callback::new(move |v: String| {
                editor.edit_kind(s, q, |k| if let QuestionKind::Rating { style, .. } = k {
                    *style = if v == "words" { RatingStyle::Words } else { RatingStyle::Faces };
                })
            });
            view! {
                <Pick id=format!("{key}-style") label=|a| a.rating_style value=style options=styles on_change=set_style />
                <InlineErrors editor path=format!("{path}.kind.labels") exact=true />
                {(0..5).map(|n| view! { <BiText editor at=At::Label(s, q, n) label=|a| a.rating_label n=n + 1 required=true /> }).collect_view()}
            }.into_any()
        }
        QuestionKind::Number { .. } => {
            let integer = Signal::derive(move || editor.draft.with(|r| matches!(
                r.definition.sections.get(s).and_then(|x| x.questions.get(q)).map(|x| &x.kind),
                Some(QuestionKind::Number { integer: true, .. }))));
            let set_integer = Callback::new(move |on| editor.edit_kind(s, q, |k| if let QuestionKind::Number { integer, .. } = k { *integer = on }));
            view! {
                <NumberField editor s q field="min" label=|a| a.number_min
                    get=|k| match k { QuestionKind::Number { min, .. } => *min, _ => None }
                    set=|k, v| if let QuestionKind::Number { min, .. } = k { *min = v } />
                <NumberField editor s q field="max" label=|a| a.number_max
                    get=|k| match k { QuestionKind::Number { max, .. } => *max, _ => None }
                    set=|k, v| if let QuestionKind::Number { max, .. } = k { *max = v } />
                <Check id=format!("{key}-integer") label=|a| a.number_integer checked=integer on_change=set_integer />
                <BiText editor at=At::Unit(s, q) label=|a| a.number_unit />
            }.into_any()
        }
        QuestionKind::FreeText { .. } => view! {
            <NumberField editor s q field="max_length" label=|a| a.max_length
                get=|k| match k { QuestionKind::FreeText { max_length } => Some(f64::from(*max_length)), _ => None }
                set=|k, v| if let QuestionKind::FreeText { max_length } = k { *max_length = v.map_or(0, |v| v.max(0.0) as u32) } />
        }.into_any(),
        QuestionKind::Matrix { .. } => view! {
            <ChoiceList editor s q list=List::Statements legend=|a| a.statements heading=|a| a.statement_heading add=|a| a.add_statement />
            <ChoiceList editor s q list=List::Scale legend=|a| a.scale heading=|a| a.scale_heading add=|a| a.add_scale />
        }.into_any(),
        QuestionKind::YesNo => view! { <NeedPick editor s q option=None /> }.into_any(),
        QuestionKind::Date => ().into_any(),
    }
}

/// Marks a yes/no question, or one option of a choice question, as a need for a kind of
/// help: the thank-you page then offers to ask for it.
#[component]
fn NeedPick(editor: Editor, s: usize, q: usize, option: Option<usize>) -> impl IntoView {
    let t = use_texts();
    let path = match option {
        None => format!("{}.need", q_path(s, q)),
        Some(n) => format!("{}.kind.options[{n}].need", q_path(s, q)),
    };
    let id = super::fields::dom_key(&path);
    let value = Signal::derive(move || {
        editor.draft.with(|r| {
            let question = r
                .definition
                .sections
                .get(s)
                .and_then(|x| x.questions.get(q));
            let need = match option {
                None => question.and_then(|x| x.need),
                Some(n) => question
                    .and_then(|x| List::Options.of(&x.kind))
                    .and_then(|c| c.get(n))
                    .and_then(|c| c.need),
            };
            need.map(|c| crate::pages::help::category_key(c).to_owned())
                .unwrap_or_default()
        })
    });
    let options = Signal::derive(move || {
        let texts = t();
        std::iter::once((String::new(), texts.authoring.need_none.to_owned()))
            .chain(
                crate::pages::help::category_options(texts)
                    .into_iter()
                    .map(|(key, label)| (key.to_owned(), label.to_owned())),
            )
            .collect()
    });
    let set = Callback::new(move |key: String| {
        let need = crate::pages::help::category_from_key(&key);
        editor.edit(|r| {
            let Some(question) = r
                .definition
                .sections
                .get_mut(s)
                .and_then(|x| x.questions.get_mut(q))
            else {
                return;
            };
            match option {
                None => question.need = need,
                Some(n) => {
                    if let Some(c) = List::Options
                        .of_mut(&mut question.kind)
                        .and_then(|c| c.get_mut(n))
                    {
                        c.need = need;
                    }
                }
            }
        })
    });
    let label: Label = if option.is_none() {
        |a| a.need_yes
    } else {
        |a| a.need_option
    };
    view! {
        <Pick id label value options on_change=set />
        {option.is_none().then(|| view! { <p class="field__hint">{ui(|a| a.need_hint)}</p> })}
        <InlineErrors editor path exact=true />
    }
}

/// Options, statements or scale points: each in both languages, movable; new ones
/// get a key of their own that never changes (answers are stored under it).
#[component]
fn ChoiceList(
    editor: Editor,
    s: usize,
    q: usize,
    list: List,
    legend: Label,
    heading: Label,
    add: Label,
) -> impl IntoView {
    let t = use_texts();
    let path = format!("{}.kind.{}", q_path(s, q), list.name());
    let key = super::fields::dom_key(&path);
    let count = editor
        .kind(s, q, |k| list.of(k).map_or(0, Vec::len))
        .unwrap_or(0);
    let prefix = match list {
        List::Options => "o",
        List::Statements => "st",
        List::Scale => "p",
    };
    let items = (0..count).map(|n| {
        let name = Signal::derive(move || fill(heading(&t().authoring), &[("n", &(n + 1).to_string())]));
        let swap = move |to: usize| Callback::new(move |()| {
            editor.reshape(format!("s{s}-q{q}-{}-{to}-{}", list.name(), if to < n { "up" } else { "down" }), |r| {
                if let Some(c) = r.definition.sections.get_mut(s).and_then(|x| x.questions.get_mut(q)).and_then(|x| list.of_mut(&mut x.kind)) {
                    c.swap(n, to);
                }
            });
        });
        let remove = Callback::new(move |()| {
            editor.reshape(format!("s{s}-q{q}-{}-add", list.name()), |r| {
                if let Some(c) = r.definition.sections.get_mut(s).and_then(|x| x.questions.get_mut(q)).and_then(|x| list.of_mut(&mut x.kind)) {
                    c.remove(n);
                }
            });
        });
        view! {
            <div class="author-choice">
                <BiText editor at=At::Choice(s, q, list, n) label=heading n=n + 1 required=true />
                {(list == List::Options).then(|| view! { <NeedPick editor s q option=Some(n) /> })}
                <div class="actions">
                    {(n > 0).then(|| view! { <Tool id=format!("s{s}-q{q}-{}-{n}-up", list.name()) label=|a| a.move_up context=name on_click=swap(n - 1) /> })}
                    {(n + 1 < count).then(|| view! { <Tool id=format!("s{s}-q{q}-{}-{n}-down", list.name()) label=|a| a.move_down context=name on_click=swap(n + 1) /> })}
                    <Tool id=format!("s{s}-q{q}-{}-{n}-remove", list.name()) label=|a| a.remove context=name on_click=remove />
                </div>
            </div>
        }
    }).collect_view();
    let add_item = Callback::new(move |()| {
        editor.reshape(
            format!("{}-de", dom_id(&At::Choice(s, q, list, count).path())),
            |r| {
                if let Some(c) = r
                    .definition
                    .sections
                    .get_mut(s)
                    .and_then(|x| x.questions.get_mut(q))
                    .and_then(|x| list.of_mut(&mut x.kind))
                {
                    let id = fresh_key(prefix, c.iter().map(|c| c.id.as_str()).chain([OTHER]));
                    c.push(Choice {
                        id,
                        text: Content::default(),
                        need: None,
                    });
                }
            },
        );
    });
    let context = Signal::derive(move || legend(&t().authoring).to_owned());
    view! {
        <fieldset class="fieldset fieldset--inner" id=dom_id(&path) tabindex="-1" data-testid=key>
            <legend>{ui(legend)}</legend>
            <InlineErrors editor path=path.clone() exact=true />
            {items}
            <Tool id=format!("s{s}-q{q}-{}-add", list.name()) label=add context on_click=add_item />
        </fieldset>
    }
}

/// Which operator a rule has, as the select's value.
fn op_name(rule: &Rule) -> &'static str {
    match rule {
        Rule::Equals { .. } => "equals",
        Rule::OneOf { .. } => "one_of",
        Rule::Answered { .. } => "answered",
        Rule::NotAnswered { .. } => "not_answered",
    }
}

/// A rule on `question` with operator `op`, keeping values that still fit.
fn make_rule(op: &str, question: String, allowed: &[String], old: &Rule) -> Rule {
    let old_values: Vec<String> = match old {
        Rule::Equals { value, .. } => vec![value.clone()],
        Rule::OneOf { values, .. } => values.clone(),
        _ => Vec::new(),
    }
    .into_iter()
    .filter(|v| allowed.contains(v))
    .collect();
    match op {
        "equals" if !allowed.is_empty() => Rule::Equals {
            question,
            value: old_values
                .first()
                .or(allowed.first())
                .cloned()
                .unwrap_or_default(),
        },
        "one_of" if !allowed.is_empty() => Rule::OneOf {
            question,
            values: old_values,
        },
        "not_answered" => Rule::NotAnswered { question },
        _ => Rule::Answered { question },
    }
}

/// A condition value in words: the option's text, the rating with its word, yes/no.
fn value_label(
    kind: &QuestionKind,
    value: &str,
    lang: shared::Language,
    t: &'static crate::i18n::Texts,
) -> String {
    match kind {
        QuestionKind::SingleChoice { options, .. }
        | QuestionKind::MultipleChoice { options, .. } => {
            if value == OTHER {
                return t.answer.other.to_owned();
            }
            options
                .iter()
                .find(|o| o.id == value)
                .map_or_else(|| value.to_owned(), |o| o.text.get(lang).to_owned())
        }
        QuestionKind::Rating { labels, .. } => {
            let word = value
                .parse::<usize>()
                .ok()
                .and_then(|n| labels.get(n.wrapping_sub(1)));
            match word {
                Some(word) => format!("{value} – {}", word.get(lang)),
                None => value.to_owned(),
            }
        }
        QuestionKind::YesNo if value == "yes" => t.authoring.yes.to_owned(),
        QuestionKind::YesNo => t.authoring.no.to_owned(),
        _ => value.to_owned(),
    }
}

fn show_if_mut(r: &mut SurveyRequest, s: usize, q: usize) -> Option<&mut Option<ShowIf>> {
    r.definition
        .sections
        .get_mut(s)?
        .questions
        .get_mut(q)
        .map(|x| &mut x.show_if)
}

/// Show-if conditions on earlier questions.
#[component]
fn Conditions(editor: Editor, s: usize, q: usize) -> impl IntoView {
    let t = use_texts();
    let prefs = use_prefs();
    let path = format!("{}.show_if", q_path(s, q));
    let key = super::fields::dom_key(&path);
    let (earlier, show_if) = editor.draft.with_untracked(|r| {
        let mut earlier = Vec::new();
        'outer: for (si, section) in r.definition.sections.iter().enumerate() {
            for (qi, question) in section.questions.iter().enumerate() {
                if (si, qi) == (s, q) {
                    break 'outer;
                }
                earlier.push(question.clone());
            }
        }
        let show_if = r
            .definition
            .sections
            .get(s)
            .and_then(|x| x.questions.get(q))
            .and_then(|x| x.show_if.clone());
        (earlier, show_if)
    });
    let Some(show_if) = show_if else {
        if earlier.is_empty() {
            return view! { <p class="field__hint">{ui(|a| a.conditions_none_possible)}</p> }
                .into_any();
        }
        let last = earlier.last().map(|x| x.id.clone()).unwrap_or_default();
        let first_rule = format!("f-{key}-rules-0");
        let add = move |_| {
            let last = last.clone();
            editor.reshape(first_rule.clone(), |r| {
                if let Some(x) = show_if_mut(r, s, q) {
                    *x = Some(ShowIf {
                        combine: Combine::All,
                        rules: vec![Rule::Answered { question: last }],
                    });
                }
            });
        };
        return view! {
            <button type="button" class="button button--secondary" id=format!("f-{key}") data-testid=format!("{key}-add") on:click=add>
                {ui(|a| a.add_condition)}
            </button>
        }.into_any();
    };
    let rules = show_if.rules.len();
    let combine = Signal::derive(move || {
        editor.draft.with(|r| {
            r.definition
                .sections
                .get(s)
                .and_then(|x| x.questions.get(q))
                .and_then(|x| x.show_if.as_ref())
                .map_or("all", |c| {
                    if c.combine == Combine::Any {
                        "any"
                    } else {
                        "all"
                    }
                })
                .to_owned()
        })
    });
    let combines = Signal::derive(move || {
        vec![
            ("all".to_owned(), t().authoring.combine_all.to_owned()),
            ("any".to_owned(), t().authoring.combine_any.to_owned()),
        ]
    });
    let set_combine = Callback::new(move |v: String| {
        editor.edit(|r| {
            if let Some(Some(c)) = show_if_mut(r, s, q) {
                c.combine = if v == "any" {
                    Combine::Any
                } else {
                    Combine::All
                };
            }
        })
    });
    let earlier = StoredValue::new(earlier);
    let rule_views = show_if.rules.into_iter().enumerate().map(|(n, rule)| {
        let rule_path = format!("{path}.rules[{n}]");
        let rule_key = super::fields::dom_key(&rule_path);
        let target = rule.question().to_owned();
        let target_kind = earlier.with_value(|e| e.iter().find(|x| x.id == target).map(|x| x.kind.clone()));
        let allowed = target_kind.as_ref().map(QuestionKind::condition_values).unwrap_or_default();
        let questions = {
            let target = target.clone();
            Signal::derive(move || {
                let lang = prefs.language.get();
                let mut list: Vec<(String, String)> = earlier.with_value(|e| e.iter().map(|x| (x.id.clone(), x.text.get(lang).to_owned())).collect());
                if !list.iter().any(|(id, _)| *id == target) {
                    list.push((target.clone(), target.clone()));
                }
                list
            })
        };
        let ops = {
            let comparable = !allowed.is_empty();
            Signal::derive(move || {
                let a = &t().authoring;
                let mut ops = Vec::new();
                if comparable {
                    ops.push(("equals".to_owned(), a.op_equals.to_owned()));
                    ops.push(("one_of".to_owned(), a.op_one_of.to_owned()));
                }
                ops.push(("answered".to_owned(), a.op_answered.to_owned()));
                ops.push(("not_answered".to_owned(), a.op_not_answered.to_owned()));
                ops
            })
        };
        let question_value = Signal::derive({ let target = target.clone(); move || target.clone() });
        let op_value = Signal::derive({ let op = op_name(&rule).to_owned(); move || op.clone() });
        let question_id = dom_id(&rule_path);
        let op_id = format!("{question_id}-op");
        let set_question = {
            let question_id = question_id.clone();
            Callback::new(move |id: String| {
                let allowed = earlier.with_value(|e| e.iter().find(|x| x.id == id).map(|x| x.kind.condition_values()).unwrap_or_default());
                editor.reshape(question_id.clone(), |r| {
                    if let Some(Some(c)) = show_if_mut(r, s, q) && let Some(rule) = c.rules.get_mut(n) {
                        *rule = make_rule(op_name(rule), id, &allowed, rule);
                    }
                });
            })
        };
        let set_op = {
            let (op_id, allowed, target) = (op_id.clone(), allowed.clone(), target.clone());
            Callback::new(move |op: String| {
                editor.reshape(op_id.clone(), |r| {
                    if let Some(Some(c)) = show_if_mut(r, s, q) && let Some(rule) = c.rules.get_mut(n) {
                        *rule = make_rule(&op, target.clone(), &allowed, rule);
                    }
                });
            })
        };
        let values = match (&rule, target_kind) {
            (Rule::Equals { .. }, Some(kind)) => {
                let kind = StoredValue::new(kind);
                let options = Signal::derive({ let allowed = allowed.clone(); move || {
                    let lang = prefs.language.get();
                    allowed.iter().map(|v| (v.clone(), kind.with_value(|k| value_label(k, v, lang, t())))).collect()
                }});
                let value = Signal::derive(move || editor.draft.with(|r| {
                    match r.definition.sections.get(s).and_then(|x| x.questions.get(q)).and_then(|x| x.show_if.as_ref()).and_then(|c| c.rules.get(n)) {
                        Some(Rule::Equals { value, .. }) => value.clone(),
                        _ => String::new(),
                    }
                }));
                let set = Callback::new(move |v: String| editor.edit(|r| {
                    if let Some(Some(c)) = show_if_mut(r, s, q) && let Some(Rule::Equals { value, .. }) = c.rules.get_mut(n) {
                        *value = v;
                    }
                }));
                view! { <Pick id=format!("{question_id}-value") label=|a| a.rule_value value options on_change=set /> }.into_any()
            }
            (Rule::OneOf { .. }, Some(kind)) => {
                let boxes = allowed.iter().map(|v| {
                    let label = { let v = v.clone(); let kind = kind.clone(); move || value_label(&kind, &v, prefs.language.get(), t()) };
                    let checked = { let v = v.clone(); move || editor.draft.with(|r| {
                        matches!(r.definition.sections.get(s).and_then(|x| x.questions.get(q)).and_then(|x| x.show_if.as_ref()).and_then(|c| c.rules.get(n)),
                            Some(Rule::OneOf { values, .. }) if values.contains(&v))
                    })};
                    let toggle = { let v = v.clone(); move |ev| {
                        let on = event_target_checked(&ev);
                        editor.edit(|r| {
                            if let Some(Some(c)) = show_if_mut(r, s, q) && let Some(Rule::OneOf { values, .. }) = c.rules.get_mut(n) {
                                values.retain(|x| *x != v);
                                if on { values.push(v.clone()); }
                            }
                        });
                    }};
                    let id = format!("{question_id}-values-{v}");
                    view! {
                        <div class="checkbox">
                            <input type="checkbox" id=id.clone() data-testid=id.clone() prop:checked=checked on:change=toggle />
                            <label for=id>{label}</label>
                        </div>
                    }
                }).collect_view();
                view! {
                    <fieldset class="fieldset fieldset--inner">
                        <legend>{ui(|a| a.rule_values)}</legend>
                        {boxes}
                    </fieldset>
                }.into_any()
            }
            _ => ().into_any(),
        };
        let name = Signal::derive(move || fill(t().authoring.rule_heading, &[("n", &(n + 1).to_string())]));
        let remove = Callback::new(move |()| {
            editor.reshape(format!("f-{key_owned}", key_owned = super::fields::dom_key(&format!("{}.show_if", q_path(s, q)))), |r| {
                if let Some(x) = show_if_mut(r, s, q) {
                    if let Some(c) = x.as_mut() {
                        c.rules.remove(n);
                    }
                    if x.as_ref().is_some_and(|c| c.rules.is_empty()) {
                        *x = None;
                    }
                }
            });
        });
        view! {
            <fieldset class="fieldset fieldset--inner" data-testid=rule_key.clone()>
                <legend>{name}</legend>
                <InlineErrors editor path=rule_path.clone() exact=true />
                <InlineErrors editor path=format!("{rule_path}.values") exact=true />
                <Pick id=question_id label=|a| a.rule_question value=question_value options=questions on_change=set_question />
                <Pick id=op_id label=|a| a.rule_op value=op_value options=ops on_change=set_op />
                {values}
                <Tool id=format!("{rule_key}-remove") label=|a| a.remove context=name on_click=remove />
            </fieldset>
        }
    }).collect_view();
    let add_rule = {
        let key = key.clone();
        Callback::new(move |()| {
            let last = earlier
                .with_value(|e| e.last().map(|x| x.id.clone()))
                .unwrap_or_default();
            editor.reshape(format!("f-{key}-rules-{rules}"), |r| {
                if let Some(Some(c)) = show_if_mut(r, s, q) {
                    c.rules.push(Rule::Answered { question: last });
                }
            });
        })
    };
    let context = Signal::derive(move || t().authoring.conditions_legend.to_owned());
    view! {
        <fieldset class="fieldset fieldset--inner" id=format!("f-{key}") tabindex="-1" data-testid=key.clone()>
            <legend>{ui(|a| a.conditions_legend)}</legend>
            <InlineErrors editor path=format!("{path}.rules") exact=true />
            {(rules > 1).then(|| view! { <Pick id=format!("f-{key}-combine") label=|a| a.combine value=combine options=combines on_change=set_combine /> })}
            {rule_views}
            <Tool id=format!("{key}-add-rule") label=|a| a.add_rule context on_click=add_rule />
        </fieldset>
    }
    .into_any()
}
