//! Form building blocks: one [`FormState`] per form, fields that show their error
//! next to themselves (linked with `aria-describedby`, marked `aria-invalid`), an
//! error summary that takes the focus, and a success message in a live region.
//!
//! Forms are `novalidate`: the checks the server makes that we can make too run
//! here first ([`Checks`]), so every error, ours or the server's, looks and reads
//! the same and is in the reader's language.

use leptos::{html, prelude::*};
use shared::{
    ErrorCode, FieldError, Problem,
    accounts::{email_problem, password_length_problem},
    problem::field_code::{REQUIRED, TAKEN},
};
use wasm_bindgen::JsCast;

use crate::{
    api::ApiError,
    i18n::{Text, Texts},
    prefs::use_texts,
};

/// What went wrong with the last try.
#[derive(Debug, Clone)]
enum Failure {
    /// The server or the network said no; its message is the summary.
    Api(ApiError),
    /// A message of the page's own, e.g. "wrong email or password".
    Text(Text),
    /// Invalid fields (found here or by the server), listed in the summary.
    Fields,
}

/// The state of one form. `Copy`; create one per `<form>`.
#[derive(Debug, Clone, Copy)]
pub struct FormState {
    pending: RwSignal<bool>,
    failure: RwSignal<Option<Failure>>,
    fields: RwSignal<Vec<FieldError>>,
    success: RwSignal<Option<Text>>,
    /// Counts failures, so that the summary takes the focus again on each one.
    failures: RwSignal<u32>,
}

impl Default for FormState {
    fn default() -> Self {
        Self::new()
    }
}

impl FormState {
    pub fn new() -> FormState {
        FormState {
            pending: RwSignal::new(false),
            failure: RwSignal::new(None),
            fields: RwSignal::new(Vec::new()),
            success: RwSignal::new(None),
            failures: RwSignal::new(0),
        }
    }

    pub fn is_pending(&self) -> bool {
        self.pending.get()
    }

    /// Starts a submission: forgets the last outcome; with `problems` found here,
    /// shows them and returns `false`; else marks the form as being sent. Also
    /// `false` while the form is already being sent (a double click).
    pub fn start(&self, problems: Vec<FieldError>) -> bool {
        if self.pending.get_untracked() {
            return false;
        }
        self.success.set(None);
        if !problems.is_empty() {
            self.fail_fields(problems);
            return false;
        }
        self.failure.set(None);
        self.fields.set(Vec::new());
        self.pending.set(true);
        true
    }

    /// Sent, and nothing to say (the page moves on).
    pub fn done(&self) {
        self.pending.set(false);
    }

    /// Sent; says `text` in the form's live region.
    pub fn succeed(&self, text: Text) {
        self.pending.set(false);
        self.success.set(Some(text));
    }

    /// The server (or the network) refused: field errors go next to their fields.
    pub fn fail(&self, error: ApiError) {
        let fields = error.field_errors().to_vec();
        if fields.is_empty() {
            self.fields.set(Vec::new());
            self.failed(Failure::Api(error));
        } else {
            self.fail_fields(fields);
        }
    }

    /// Refused, with a message of the page's own.
    pub fn fail_text(&self, text: Text) {
        self.fields.set(Vec::new());
        self.failed(Failure::Text(text));
    }

    fn fail_fields(&self, fields: Vec<FieldError>) {
        self.fields.set(fields);
        self.failed(Failure::Fields);
    }

    fn failed(&self, failure: Failure) {
        self.pending.set(false);
        self.failure.set(Some(failure));
        self.failures.update(|n| *n += 1);
    }

    /// The error message for the input with this test id, if any (tracked).
    fn error_for(&self, input: &str, texts: &'static Texts) -> Option<&'static str> {
        self.fields.with(|fields| {
            fields
                .iter()
                .find(|e| input_for(&e.field) == Some(input))
                .map(|e| texts.field_errors.message(&e.field, &e.code))
        })
    }
}

/// The input (by its `data-testid`, which is also the end of its `id`) where the
/// error for a server field is shown. Fields without an input (e.g. the code of an
/// invitation, which is in the address) are shown in the summary only.
pub fn input_for(field: &str) -> Option<&'static str> {
    Some(match field {
        "email" => "email",
        "password" => "password",
        "display_name" => "display-name",
        "home_quarter_id" => "home-quarter",
        "volunteer" => "volunteer",
        "accept_privacy_notice" | "privacy_notice_version" => "consent",
        "code" => "code",
        "new_password" => "new-password",
        "current_password" => "current-password",
        "language" => "language",
        "text_size" => "text-size",
        "age_band" => "age-band",
        "phone" => "phone",
        "name" => "quarter-name",
        "description" => "quarter-description",
        "population" | "population.total" => "population-total",
        "population.under_50" => "population-under-50",
        "population.from_50_to_64" => "population-50-64",
        "population.from_65_to_74" => "population-65-74",
        "population.from_75_to_84" => "population-75-84",
        "population.from_85" => "population-85",
        "quarter_ids" => "quarters",
        // Neighbourly help
        "categories" => "categories",
        "category" => "category",
        "urgency" => "urgency",
        "availability" => "availability",
        "max_tasks_per_week" => "max-tasks",
        "about" => "about",
        "details" => "details",
        "accessibility" => "accessibility",
        "when.date" | "when.from" => "date",
        "when" => "to-time",
        "when.days" => "days",
        "quarter_id" => "quarter",
        "caller.name" => "caller-name",
        "caller.phone" => "caller-phone",
        // The office's contact details
        "office_name" => "office-name",
        "street" => "street",
        "address_extra" => "address-extra",
        "postcode" => "postcode",
        "city" => "city",
        "opening_hours.de" => "opening-hours-de",
        "opening_hours.en" => "opening-hours-en",
        "legal_notice" => "legal-notice",
        "legal_notice_url" => "legal-notice-url",
        _ => return None,
    })
}

/// `id` of the input with this test id.
pub(crate) fn dom_id(input: &str) -> String {
    format!("field-{input}")
}

/// A 409 (e.g. "email already registered") as an error of `field`, code `taken`,
/// so it is shown next to the field that caused it.
pub fn conflict_on(error: ApiError, field: &str) -> ApiError {
    match error {
        ApiError::Problem(problem) if problem.code == ErrorCode::Conflict => {
            ApiError::Problem(Problem {
                code: ErrorCode::ValidationFailed,
                errors: vec![FieldError {
                    field: field.to_owned(),
                    code: TAKEN.to_owned(),
                }],
                ..problem
            })
        }
        other => other,
    }
}

/// The checks made before sending, with the server's field names and codes.
#[derive(Debug, Default)]
pub struct Checks(Vec<FieldError>);

impl Checks {
    pub fn add(&mut self, field: &str, code: Option<&str>) {
        if let Some(code) = code {
            self.0.push(FieldError {
                field: field.to_owned(),
                code: code.to_owned(),
            });
        }
    }

    pub fn required(&mut self, field: &str, value: &str) {
        self.add(field, value.trim().is_empty().then_some(REQUIRED));
    }

    pub fn email(&mut self, field: &str, value: &str) {
        self.add(field, email_problem(value));
    }

    /// Length only; whether it is too easy to guess, the server decides.
    pub fn new_password(&mut self, field: &str, value: &str) {
        self.add(
            field,
            if value.is_empty() {
                Some(REQUIRED)
            } else {
                password_length_problem(value)
            },
        );
    }

    pub fn into_vec(self) -> Vec<FieldError> {
        self.0
    }
}

/// Moves the focus to the input with this test id.
pub fn focus_input(input: &str) {
    if let Some(el) = document()
        .get_element_by_id(&dom_id(input))
        .and_then(|el| el.dyn_into::<web_sys::HtmlElement>().ok())
    {
        let _ = el.focus();
    }
}

/// Top of a form: the error summary (focused when it appears, so screen readers
/// read it and keyboard users start there) and the success message (in a live
/// region that is always there, so its new text is announced).
#[component]
pub fn FormFeedback(form: FormState) -> impl IntoView {
    let t = use_texts();
    let summary = NodeRef::<html::Div>::new();
    Effect::new(move |_| {
        form.failures.track();
        if let Some(el) = summary.get() {
            let _ = el.focus();
        }
    });
    let failure = move || {
        form.failure.get().map(|failure| {
            let heading = move || match &failure {
                Failure::Api(error) => error.message(t()),
                Failure::Text(text) => text(t()).to_owned(),
                Failure::Fields => t().forms.error_title.to_owned(),
            };
            let items = move || {
                form.fields
                    .get()
                    .into_iter()
                    .map(|e| {
                        let message = t().field_errors.message(&e.field, &e.code);
                        match input_for(&e.field) {
                            Some(input) => view! {
                                <li>
                                    <a
                                        href=format!("#{}", dom_id(input))
                                        on:click=move |ev| {
                                            ev.prevent_default();
                                            focus_input(input);
                                        }
                                    >
                                        {message}
                                    </a>
                                </li>
                            }
                            .into_any(),
                            None => view! { <li>{message}</li> }.into_any(),
                        }
                    })
                    .collect_view()
            };
            view! {
                <div
                    class="notice notice--error error-summary"
                    role="alert"
                    tabindex="-1"
                    data-testid="form-error"
                    node_ref=summary
                >
                    <p class="error-summary__title">{heading}</p>
                    <ul class="error-summary__list">{items}</ul>
                </div>
            }
        })
    };
    let success = move || {
        form.success.get().map(|text| {
            view! {
                <p class="notice notice--success" data-testid="form-success">
                    {move || text(t())}
                </p>
            }
        })
    };
    view! {
        {failure}
        <div role="status" class="form-status">
            {success}
        </div>
    }
}

/// Label, optional hint, error (when there is one) and the input, in that order.
#[component]
pub fn TextField(
    form: FormState,
    /// `data-testid` of the input; its `id` is `field-<testid>`.
    testid: &'static str,
    label: Text,
    value: RwSignal<String>,
    #[prop(optional)] hint: Option<Text>,
    #[prop(default = "text")] input_type: &'static str,
    #[prop(optional)] autocomplete: Option<&'static str>,
    #[prop(optional)] inputmode: Option<&'static str>,
    #[prop(optional)] required: bool,
    /// Marks the label "(optional)".
    #[prop(optional)]
    optional: bool,
    /// A `<textarea>` instead of an `<input>`.
    #[prop(optional)]
    multiline: bool,
) -> impl IntoView {
    let t = use_texts();
    let id = dom_id(testid);
    let hint_id = format!("{id}-hint");
    let error_id = format!("{id}-error");
    let error = move || form.error_for(testid, t());
    let described_by = {
        let (hint_id, error_id) = (hint_id.clone(), error_id.clone());
        move || {
            describe(
                hint.map(|_| hint_id.as_str()),
                error().map(|_| error_id.as_str()),
            )
        }
    };
    let invalid = move || error().map(|_| "true");
    let shown = RwSignal::new(false);
    let is_password = input_type == "password";
    let kind = move || if shown.get() { "text" } else { input_type };
    let control = if multiline {
        view! {
            <textarea
                id=id.clone()
                name=testid
                data-testid=testid
                rows="4"
                required=required
                aria-invalid=invalid
                aria-describedby=described_by
                bind:value=value
                on:change=move |ev| value.set(event_target_value(&ev))
            ></textarea>
        }
        .into_any()
    } else {
        view! {
            <input
                id=id.clone()
                name=testid
                data-testid=testid
                type=kind
                autocomplete=autocomplete
                inputmode=inputmode
                required=required
                aria-invalid=invalid
                aria-describedby=described_by
                bind:value=value
                // Also on `change`: clearing a field by script (autofill, WebDriver's
                // clear) may not send `input`.
                on:change=move |ev| value.set(event_target_value(&ev))
            />
        }
        .into_any()
    };
    let toggle = is_password.then(|| {
        view! {
            <button
                type="button"
                class="choice field__toggle"
                aria-pressed=move || if shown.get() { "true" } else { "false" }
                aria-controls=id.clone()
                on:click=move |_| shown.update(|s| *s = !*s)
            >
                {move || t().forms.show_password}
            </button>
        }
    });
    view! {
        <div class="field" class:field--invalid=move || error().is_some()>
            <label class="field__label" for=id.clone()>
                {move || label(t())}
                {optional.then(|| view! { " " <span class="field__optional">{move || t().forms.optional}</span> })}
            </label>
            {hint.map(|hint| view! { <p class="field__hint" id=hint_id>{move || hint(t())}</p> })}
            <FieldErrorText testid error_id error />
            {control}
            {toggle}
        </div>
    }
}

/// `aria-describedby`: the hint and the error, whichever there are.
fn describe(hint: Option<&str>, error: Option<&str>) -> Option<String> {
    let ids: Vec<&str> = [hint, error].into_iter().flatten().collect();
    (!ids.is_empty()).then(|| ids.join(" "))
}

#[component]
fn FieldErrorText<E>(testid: &'static str, error_id: String, error: E) -> impl IntoView
where
    E: Fn() -> Option<&'static str> + Copy + Send + Sync + 'static,
{
    move || {
        error().map(|message| {
            view! {
                <p class="field__error" id=error_id.clone() data-testid=format!("field-error-{testid}")>
                    {message}
                </p>
            }
        })
    }
}

/// A checkbox with its label to the right, and its error above.
#[component]
pub fn CheckboxField(
    form: FormState,
    testid: &'static str,
    label: Text,
    checked: RwSignal<bool>,
    #[prop(optional)] hint: Option<Text>,
    #[prop(optional)] required: bool,
) -> impl IntoView {
    let t = use_texts();
    let id = dom_id(testid);
    let hint_id = format!("{id}-hint");
    let error_id = format!("{id}-error");
    let error = move || form.error_for(testid, t());
    let described_by = {
        let (hint_id, error_id) = (hint_id.clone(), error_id.clone());
        move || {
            describe(
                hint.map(|_| hint_id.as_str()),
                error().map(|_| error_id.as_str()),
            )
        }
    };
    view! {
        <div class="field field--checkbox" class:field--invalid=move || error().is_some()>
            <FieldErrorText testid error_id error />
            <div class="checkbox">
                <input
                    type="checkbox"
                    id=id.clone()
                    name=testid
                    data-testid=testid
                    required=required
                    aria-invalid=move || error().map(|_| "true")
                    aria-describedby=described_by
                    bind:checked=checked
                />
                <label for=id>{move || label(t())}</label>
            </div>
            {hint.map(|hint| view! { <p class="field__hint" id=hint_id>{move || hint(t())}</p> })}
        </div>
    }
}

/// A `<select>`. Options are `(value, label)`; the value is kept as a string.
#[component]
pub fn SelectField<O>(
    form: FormState,
    testid: &'static str,
    label: Text,
    #[prop(into)] value: Signal<String>,
    #[prop(into)] on_change: Callback<String>,
    options: O,
    #[prop(optional)] hint: Option<Text>,
    #[prop(optional)] optional: bool,
) -> impl IntoView
where
    O: Fn() -> Vec<(String, String)> + Send + Sync + 'static,
{
    let t = use_texts();
    let id = dom_id(testid);
    let hint_id = format!("{id}-hint");
    let error_id = format!("{id}-error");
    let error = move || form.error_for(testid, t());
    let described_by = {
        let (hint_id, error_id) = (hint_id.clone(), error_id.clone());
        move || {
            describe(
                hint.map(|_| hint_id.as_str()),
                error().map(|_| error_id.as_str()),
            )
        }
    };
    let options = move || {
        options()
            .into_iter()
            .map(|(option, text)| {
                let selected = {
                    let option = option.clone();
                    move || value.with(|v| *v == option)
                };
                view! {
                    <option value=option prop:selected=selected>
                        {text}
                    </option>
                }
            })
            .collect_view()
    };
    view! {
        <div class="field" class:field--invalid=move || error().is_some()>
            <label class="field__label" for=id.clone()>
                {move || label(t())}
                {optional.then(|| view! { " " <span class="field__optional">{move || t().forms.optional}</span> })}
            </label>
            {hint.map(|hint| view! { <p class="field__hint" id=hint_id>{move || hint(t())}</p> })}
            <FieldErrorText testid error_id error />
            <select
                id=id
                name=testid
                data-testid=testid
                aria-invalid=move || error().map(|_| "true")
                aria-describedby=described_by
                on:change=move |ev| on_change.run(event_target_value(&ev))
            >
                {options}
            </select>
        </div>
    }
}

/// The submit button: disabled and saying "Sending …" while the form is sent.
#[component]
pub fn SubmitButton(
    form: FormState,
    label: Text,
    #[prop(default = "submit")] testid: &'static str,
    /// Red, for what cannot be undone (deleting the account).
    #[prop(optional)]
    danger: bool,
) -> impl IntoView {
    let t = use_texts();
    view! {
        <button
            type="submit"
            class=if danger { "button button--submit button--danger" } else { "button button--submit" }
            data-testid=testid
            disabled=move || form.is_pending()
        >
            {move || if form.is_pending() { t().forms.sending } else { label(t()) }}
        </button>
    }
}

/// An error shown next to a group of inputs (a `<fieldset>`), e.g. the quarters of
/// an invitation: `field-error-<testid>`.
#[component]
pub fn GroupError(form: FormState, testid: &'static str) -> impl IntoView {
    let t = use_texts();
    let error_id = format!("{}-error", dom_id(testid));
    let error = move || form.error_for(testid, t());
    view! { <FieldErrorText testid error_id error /> }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_field_the_server_names_has_a_place() {
        for field in [
            "email",
            "password",
            "display_name",
            "home_quarter_id",
            "accept_privacy_notice",
            "privacy_notice_version",
            "current_password",
            "new_password",
            "phone",
            "code",
            "quarter_ids",
            "name",
            "description",
            "population",
        ] {
            assert!(input_for(field).is_some(), "{field}");
        }
        assert_eq!(input_for("display_name"), Some("display-name"));
        assert_eq!(input_for("population"), Some("population-total"));
        assert_eq!(input_for("nonsense"), None);
    }

    #[test]
    fn checks_use_the_servers_codes() {
        let mut checks = Checks::default();
        checks.email("email", "erna");
        checks.new_password("password", "kurz");
        checks.required("display_name", "  ");
        checks.new_password("new_password", "lang genug und gut");
        let found: Vec<(String, String)> = checks
            .into_vec()
            .into_iter()
            .map(|e| (e.field, e.code))
            .collect();
        let expected = [
            ("email", "invalid_email"),
            ("password", "too_short"),
            ("display_name", "required"),
        ]
        .map(|(f, c)| (f.to_owned(), c.to_owned()));
        assert_eq!(found, expected);
    }

    #[test]
    fn an_empty_password_is_missing_not_short() {
        let mut checks = Checks::default();
        checks.new_password("password", "");
        assert_eq!(checks.into_vec()[0].code, "required");
    }

    #[test]
    fn conflicts_become_errors_of_their_field() {
        let conflict = ApiError::Problem(Problem {
            kind: "/api/v1/problems/conflict".into(),
            title: "Conflict".into(),
            status: 409,
            detail: None,
            code: ErrorCode::Conflict,
            errors: vec![],
        });
        let err = conflict_on(conflict, "email");
        assert_eq!(err.field_errors()[0].field, "email");
        assert_eq!(err.field_errors()[0].code, "taken");
        assert_eq!(conflict_on(ApiError::Network, "email"), ApiError::Network);
    }

    #[test]
    fn described_by_lists_what_is_there() {
        assert_eq!(describe(None, None), None);
        assert_eq!(describe(Some("h"), None).as_deref(), Some("h"));
        assert_eq!(describe(Some("h"), Some("e")).as_deref(), Some("h e"));
    }
}
