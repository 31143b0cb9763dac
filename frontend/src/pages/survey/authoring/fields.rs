//! The editor's state and its generic fields: a survey text in German and English
//! ([`BiText`]), numbers, and the errors of `SurveyRequest::problems` (or the
//! server's, which are the same) next to what they concern and in a summary.
//!
//! Errors name their place by the request's field path
//! (`definition.sections[0].questions[1].text`); an input's `id` is made from the
//! same path ([`dom_key`]), so the summary links to it without a lookup table.

use leptos::{html, prelude::*};
use shared::{
    FieldError,
    surveys::{Choice, QuestionKind, SurveyRequest, Text as Content},
};
use wasm_bindgen::JsCast;

use super::{AuthoringTexts, ui};
use crate::{i18n::fill, prefs::use_texts};

/// The survey being edited, shared by every part of the editor. `Copy`.
#[derive(Clone, Copy)]
pub struct Editor {
    pub draft: RwSignal<SurveyRequest>,
    /// Raised by changes of the structure (adding, moving, removing, another kind):
    /// the parts that list sections, questions or options render again. Typing does
    /// not raise it, so inputs keep their focus.
    pub shape: RwSignal<u32>,
    pub errors: RwSignal<Vec<FieldError>>,
    /// Counts failed saves, so that the summary takes the focus each time.
    pub failures: RwSignal<u32>,
    pub dirty: RwSignal<bool>,
    /// The element (by id) to focus once the structure has rendered again.
    focus_after: StoredValue<Option<String>>,
}

impl Editor {
    pub fn new(request: SurveyRequest) -> Editor {
        let editor = Editor {
            draft: RwSignal::new(request),
            shape: RwSignal::new(0),
            errors: RwSignal::new(Vec::new()),
            failures: RwSignal::new(0),
            dirty: RwSignal::new(false),
            focus_after: StoredValue::new(None),
        };
        Effect::new(move |_| {
            editor.shape.track();
            if let Some(id) = editor.focus_after.try_update_value(Option::take).flatten() {
                request_animation_frame(move || {
                    focus_id(&id);
                });
            }
        });
        editor
    }

    /// A change that leaves the structure alone (typing, ticking).
    pub fn edit(&self, change: impl FnOnce(&mut SurveyRequest)) {
        self.draft.update(change);
        self.dirty.set(true);
    }

    /// A change of the structure; afterwards the focus goes to the element `focus`.
    pub fn reshape(&self, focus: String, change: impl FnOnce(&mut SurveyRequest)) {
        self.edit(change);
        self.focus_after.set_value(Some(focus));
        self.shape.update(|n| *n += 1);
    }

    pub fn fail(&self, errors: Vec<FieldError>) {
        self.errors.set(errors);
        self.failures.update(|n| *n += 1);
    }

    /// The kind of question `(s, q)`, with `f` (untracked).
    pub fn kind<R>(&self, s: usize, q: usize, f: impl FnOnce(&QuestionKind) -> R) -> Option<R> {
        self.draft.with_untracked(|r| {
            r.definition
                .sections
                .get(s)
                .and_then(|x| x.questions.get(q))
                .map(|x| f(&x.kind))
        })
    }

    /// Changes the kind of question `(s, q)`.
    pub fn edit_kind(&self, s: usize, q: usize, change: impl FnOnce(&mut QuestionKind)) {
        self.edit(|r| {
            if let Some(x) = r
                .definition
                .sections
                .get_mut(s)
                .and_then(|x| x.questions.get_mut(q))
            {
                change(&mut x.kind);
            }
        });
    }
}

/// The lists of choices a kind of question has.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum List {
    /// Of single and multiple choice.
    Options,
    /// Of a matrix.
    Statements,
    Scale,
}

impl List {
    pub fn name(self) -> &'static str {
        match self {
            List::Options => "options",
            List::Statements => "statements",
            List::Scale => "scale",
        }
    }

    pub fn of(self, kind: &QuestionKind) -> Option<&Vec<Choice>> {
        match (self, kind) {
            (List::Options, QuestionKind::SingleChoice { options, .. })
            | (List::Options, QuestionKind::MultipleChoice { options, .. })
            | (
                List::Statements,
                QuestionKind::Matrix {
                    statements: options,
                    ..
                },
            )
            | (List::Scale, QuestionKind::Matrix { scale: options, .. }) => Some(options),
            _ => None,
        }
    }

    pub fn of_mut(self, kind: &mut QuestionKind) -> Option<&mut Vec<Choice>> {
        match (self, kind) {
            (List::Options, QuestionKind::SingleChoice { options, .. })
            | (List::Options, QuestionKind::MultipleChoice { options, .. })
            | (
                List::Statements,
                QuestionKind::Matrix {
                    statements: options,
                    ..
                },
            )
            | (List::Scale, QuestionKind::Matrix { scale: options, .. }) => Some(options),
            _ => None,
        }
    }
}

/// Where a survey text is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum At {
    Title,
    Intro,
    Section(usize),
    Question(usize, usize),
    Help(usize, usize),
    /// An option, statement or scale point: section, question, which list, index.
    Choice(usize, usize, List, usize),
    /// One of a rating's five words.
    Label(usize, usize, usize),
    Unit(usize, usize),
}

impl At {
    /// The field path `SurveyRequest::problems` uses for this text.
    pub fn path(self) -> String {
        let q = |s, q| format!("definition.sections[{s}].questions[{q}]");
        match self {
            At::Title => "title".into(),
            At::Intro => "intro".into(),
            At::Section(s) => format!("definition.sections[{s}].title"),
            At::Question(s, i) => format!("{}.text", q(s, i)),
            At::Help(s, i) => format!("{}.help", q(s, i)),
            At::Choice(s, i, list, n) => format!("{}.kind.{}[{n}].text", q(s, i), list.name()),
            At::Label(s, i, n) => format!("{}.kind.labels[{n}]", q(s, i)),
            At::Unit(s, i) => format!("{}.kind.unit", q(s, i)),
        }
    }

    fn get(self, r: &SurveyRequest) -> Option<&Content> {
        let question = |s: usize, q: usize| r.definition.sections.get(s)?.questions.get(q);
        match self {
            At::Title => Some(&r.title),
            At::Intro => Some(&r.intro),
            At::Section(s) => r.definition.sections.get(s).map(|x| &x.title),
            At::Question(s, q) => question(s, q).map(|x| &x.text),
            At::Help(s, q) => question(s, q).map(|x| &x.help),
            At::Choice(s, q, list, n) => list
                .of(&question(s, q)?.kind)
                .and_then(|c| c.get(n))
                .map(|c| &c.text),
            At::Label(s, q, n) => match &question(s, q)?.kind {
                QuestionKind::Rating { labels, .. } => labels.get(n),
                _ => None,
            },
            At::Unit(s, q) => match &question(s, q)?.kind {
                QuestionKind::Number { unit, .. } => Some(unit),
                _ => None,
            },
        }
    }

    fn get_mut(self, r: &mut SurveyRequest) -> Option<&mut Content> {
        fn question_mut(
            r: &mut SurveyRequest,
            s: usize,
            q: usize,
        ) -> Option<&mut shared::surveys::Question> {
            r.definition.sections.get_mut(s)?.questions.get_mut(q)
        }
        match self {
            At::Title => Some(&mut r.title),
            At::Intro => Some(&mut r.intro),
            At::Section(s) => r.definition.sections.get_mut(s).map(|x| &mut x.title),
            At::Question(s, q) => question_mut(r, s, q).map(|x| &mut x.text),
            At::Help(s, q) => question_mut(r, s, q).map(|x| &mut x.help),
            At::Choice(s, q, list, n) => list
                .of_mut(&mut question_mut(r, s, q)?.kind)
                .and_then(|c| c.get_mut(n))
                .map(|c| &mut c.text),
            At::Label(s, q, n) => match &mut question_mut(r, s, q)?.kind {
                QuestionKind::Rating { labels, .. } => labels.get_mut(n),
                _ => None,
            },
            At::Unit(s, q) => match &mut question_mut(r, s, q)?.kind {
                QuestionKind::Number { unit, .. } => Some(unit),
                _ => None,
            },
        }
    }
}

/// A short, stable name for a field path, used in ids and test ids:
/// `definition.sections[0].questions[1].text` → `s0-q1-text`.
pub fn dom_key(path: &str) -> String {
    path.trim_start_matches("definition.")
        .replace("sections[", "s")
        .replace("].questions[", "-q")
        .replace("].", "-")
        .replace(['[', '.'], "-")
        .replace(']', "")
}

/// The `id` of the input for a field path (the German one, for texts).
pub fn dom_id(path: &str) -> String {
    format!("f-{}", dom_key(path))
}

pub fn focus_id(id: &str) -> bool {
    document()
        .get_element_by_id(id)
        .and_then(|el| el.dyn_into::<web_sys::HtmlElement>().ok())
        .is_some_and(|el| el.focus().is_ok())
}

/// Focuses the input of a field path; for a path without an input of its own (e.g. a
/// list's `…options`), the nearest enclosing one that has one.
fn focus_field(path: &str) {
    let mut path = path.to_owned();
    loop {
        let id = dom_id(&path);
        if focus_id(&id) || focus_id(&format!("{id}-de")) {
            return;
        }
        match path.rfind(['.', '[']) {
            Some(cut) => path.truncate(cut),
            None => return,
        }
    }
}

/// Where a field path is, in words: "Abschnitt 2, Frage 1".
fn place(texts: &AuthoringTexts, path: &str) -> String {
    let number = |key: &str| {
        let start = path.find(key)? + key.len();
        let end = path[start..].find(']')? + start;
        path[start..end].parse::<usize>().ok().map(|n| n + 1)
    };
    let mut parts = Vec::new();
    if let Some(s) = number("sections[") {
        parts.push(fill(texts.at_section, &[("n", &s.to_string())]));
    }
    if let Some(q) = number("questions[") {
        parts.push(fill(texts.at_question, &[("n", &q.to_string())]));
    }
    parts.join(", ")
}

/// The error messages of one field path (tracked).
fn messages_at(editor: Editor, path: &str, exact: bool) -> Vec<&'static str> {
    let t = use_texts();
    editor.errors.with(|errors| {
        errors
            .iter()
            .filter(|e| {
                if exact {
                    e.field == path
                        || e.field
                            .strip_prefix(path)
                            .is_some_and(|r| r.starts_with(".id"))
                } else {
                    e.field.starts_with(path) && !is_text_path(&e.field)
                }
            })
            .map(|e| t().authoring.error(&e.field, &e.code))
            .collect()
    })
}

/// Paths shown by a [`BiText`] rather than by the part around it.
fn is_text_path(path: &str) -> bool {
    path.ends_with(".text")
        || path.ends_with(".title")
        || path.ends_with(".help")
        || path.ends_with(".unit")
        || path.contains(".labels[")
}

/// The errors of a path (exact), or below it (not texts), next to a part of the form.
#[component]
pub fn InlineErrors(editor: Editor, path: String, #[prop(optional)] exact: bool) -> impl IntoView {
    let id = format!("{}-error", dom_id(&path));
    let testid = format!("error-{}", dom_key(&path));
    move || {
        let found = messages_at(editor, &path, exact);
        (!found.is_empty()).then(|| {
            view! {
                <p class="field__error" id=id.clone() data-testid=testid.clone()>
                    {found.join(" ")}
                </p>
            }
        })
    }
}

/// A survey text: German (required where `required`) and English, as one group.
#[component]
pub fn BiText(
    editor: Editor,
    at: At,
    label: fn(&'static AuthoringTexts) -> &'static str,
    #[prop(optional)] required: bool,
    #[prop(optional)] multiline: bool,
    /// A number to fill into the label's `{n}`.
    #[prop(optional)]
    n: Option<usize>,
) -> impl IntoView {
    let t = use_texts();
    let path = at.path();
    let id = dom_id(&path);
    let key = dom_key(&path);
    let error_id = format!("{id}-error");
    let has_error = Signal::derive({
        let path = path.clone();
        move || editor.errors.with(|e| e.iter().any(|e| e.field == path))
    });
    let legend = move || match n {
        Some(n) => fill(label(&t().authoring), &[("n", &n.to_string())]),
        None => label(&t().authoring).to_owned(),
    };
    let input = move |english: bool| {
        let value = move || {
            editor
                .draft
                .with(|r| {
                    at.get(r)
                        .map(|c| if english { c.en.clone() } else { c.de.clone() })
                })
                .unwrap_or_default()
        };
        let set = move |ev: leptos::ev::Event| {
            let text = event_target_value(&ev);
            editor.edit(|r| {
                if let Some(c) = at.get_mut(r) {
                    if english {
                        c.en = text;
                    } else {
                        c.de = text;
                    }
                }
            });
        };
        let lang = if english { "en" } else { "de" };
        let input_id = format!("{id}-{lang}");
        let testid = format!("{key}-{lang}");
        let described = {
            let error_id = error_id.clone();
            move || (!english && has_error.get()).then(|| error_id.clone())
        };
        let invalid = move || (!english && has_error.get()).then_some("true");
        let name = if english {
            ui(|a| a.english)
        } else {
            ui(|a| a.german)
        };
        let control = if multiline {
            view! {
                <textarea id=input_id.clone() data-testid=testid lang=lang rows="3"
                    required=required && !english aria-invalid=invalid aria-describedby=described
                    prop:value=value on:input=set on:change=set></textarea>
            }
            .into_any()
        } else {
            view! {
                <input type="text" id=input_id.clone() data-testid=testid lang=lang autocomplete="off"
                    required=required && !english aria-invalid=invalid aria-describedby=described
                    prop:value=value on:input=set on:change=set />
            }
            .into_any()
        };
        view! {
            <div class="field">
                <label class="field__label" for=input_id>
                    {name}
                    {english.then(|| view! { " " <span class="field__optional">{move || t().forms.optional}</span> })}
                </label>
                {control}
            </div>
        }
    };
    view! {
        <fieldset class="fieldset fieldset--inner" class:field--invalid=move || has_error.get()>
            <legend>{legend}</legend>
            <InlineErrors editor path exact=true />
            {input(false)}
            {input(true)}
        </fieldset>
    }
}

/// An optional number; empty is `None`. Read and written through `get`/`set` on the
/// kind of question `(s, q)`.
#[component]
pub fn NumberField(
    editor: Editor,
    s: usize,
    q: usize,
    /// The field's name in error paths below `…kind` (`min`, `max_length`).
    field: &'static str,
    label: fn(&'static AuthoringTexts) -> &'static str,
    get: fn(&QuestionKind) -> Option<f64>,
    set: fn(&mut QuestionKind, Option<f64>),
) -> impl IntoView {
    let path = format!("definition.sections[{s}].questions[{q}].kind.{field}");
    let id = dom_id(&path);
    let key = dom_key(&path);
    let prefs = crate::prefs::use_prefs();
    let value = move || {
        editor
            .draft
            .with(|r| {
                r.definition
                    .sections
                    .get(s)
                    .and_then(|x| x.questions.get(q))
                    .and_then(|x| get(&x.kind))
            })
            .map(|n| crate::format::decimal(n, crate::format::TYPED_PLACES, prefs.shown_language()))
            .unwrap_or_default()
    };
    let on_input = move |ev: leptos::ev::Event| {
        let text = event_target_value(&ev);
        let parsed = crate::pages::survey::parse_number(&text);
        editor.edit_kind(s, q, |k| set(k, parsed));
    };
    view! {
        <div class="field">
            <label class="field__label" for=id.clone()>{ui(label)}</label>
            <InlineErrors editor path=path.clone() exact=true />
            <input type="text" inputmode="decimal" class="author-number" id=id data-testid=key
                autocomplete="off" prop:value=value on:change=on_input />
        </div>
    }
}

/// The error summary at the top of the editor: focused when it appears, each entry a
/// link to its input.
#[component]
pub fn ErrorSummary(editor: Editor) -> impl IntoView {
    let t = use_texts();
    let summary = NodeRef::<html::Div>::new();
    Effect::new(move |_| {
        editor.failures.track();
        if let Some(el) = summary.get() {
            let _ = el.focus();
        }
    });
    move || {
        let errors = editor.errors.get();
        (!errors.is_empty()).then(|| {
            let items = errors
                .into_iter()
                .map(|e| {
                    let texts = &t().authoring;
                    let at = place(texts, &e.field);
                    let message = texts.error(&e.field, &e.code);
                    let text = if at.is_empty() {
                        message.to_owned()
                    } else {
                        format!("{at}: {message}")
                    };
                    let target = e.field.clone();
                    view! {
                        <li>
                            <a href=format!("#{}", dom_id(&e.field)) on:click=move |ev| {
                                ev.prevent_default();
                                focus_field(&target);
                            }>{text}</a>
                        </li>
                    }
                })
                .collect_view();
            view! {
                <div class="notice notice--error error-summary" role="alert" tabindex="-1"
                    data-testid="form-error" node_ref=summary>
                    <p class="error-summary__title">{ui(|a| a.error_title)}</p>
                    <ul class="error-summary__list">{items}</ul>
                </div>
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_become_short_ids() {
        assert_eq!(dom_key("title"), "title");
        assert_eq!(
            dom_key("definition.sections[0].questions[12].text"),
            "s0-q12-text"
        );
        assert_eq!(
            dom_key("definition.sections[1].questions[0].kind.options[2].text"),
            "s1-q0-kind-options-2-text"
        );
        assert_eq!(
            dom_key("definition.sections[0].questions[1].show_if.rules[0]"),
            "s0-q1-show_if-rules-0"
        );
        assert_eq!(
            At::Choice(0, 1, List::Scale, 2).path(),
            "definition.sections[0].questions[1].kind.scale[2].text"
        );
    }

    #[test]
    fn places_are_counted_from_one() {
        let de = &super::super::texts::DE;
        assert_eq!(
            place(de, "definition.sections[1].questions[0].text"),
            "Abschnitt 2, Frage 1"
        );
        assert_eq!(place(de, "title"), "");
    }
}
