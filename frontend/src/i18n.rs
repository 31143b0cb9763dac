//! Every text the web app shows, in German and English.
//!
//! Texts are plain `&'static str` fields of nested structs, one struct per area of
//! the app. `DE` and `EN` are constants of the same type, so a text missing in one
//! language does not compile. Texts with variable parts use `{name}` placeholders,
//! filled with [`fill`]; the unit tests below check that both languages use the same
//! placeholders, that no text is empty and that nothing was left untranslated.
//!
//! To add a text: add the field to its group here, then write it in `de.rs` and
//! `en.rs`. To add an area: add a group with `text_group!` and a field in [`Texts`],
//! marked `#[cfg(not(feature = "answer-app"))]` there and in `de.rs` and `en.rs` unless
//! the answering app shows it.

mod de;
mod en;

pub use de::DE;
pub use en::EN;

use shared::problem::field_code::{
    BANDS_EXCEED_TOTAL, IN_THE_PAST, INVALID_CODE, INVALID_DATE, INVALID_EMAIL, INVALID_PHONE,
    INVALID_POSTCODE, INVALID_TIME_RANGE, INVALID_URL, NOT_A_NUMBER, NOT_ELIGIBLE, OUT_OF_RANGE,
    OUTDATED, REQUIRED, TAKEN, TOO_COMMON, TOO_LONG, TOO_SHORT, UNKNOWN_QUARTER, WRONG_PASSWORD,
};
use shared::{AgeBand, ErrorCode, Language, Role, TextSize};

/// A text picked from the texts of the current language: `|t| t.login.title`.
/// A plain function, so it is `Copy` and can wait in a signal until it is shown.
pub type Text = fn(&'static Texts) -> &'static str;

/// Declares one group of texts, and (for the tests) a list of its entries.
macro_rules! text_group {
    ($(#[$meta:meta])* $name:ident { $($(#[$fmeta:meta])* $field:ident,)* }) => {
        $(#[$meta])*
        #[derive(Debug)]
        pub struct $name {
            $($(#[$fmeta])* pub $field: &'static str,)*
        }

        impl $name {
            /// `(key, text)` for every text of the group.
            #[cfg(test)]
            pub(crate) fn entries(&self) -> Vec<(&'static str, &'static str)> {
                vec![$((stringify!($field), self.$field),)*]
            }
        }
    };
}

pub(crate) use text_group;

/// All texts of one language. The answering app (feature `answer-app`) has only the
/// groups its pages and the frame around them show: the whole app's pages are not in
/// its build, and neither are their texts (its help offer after a survey carries the
/// help categories' names itself, `pages/help/texts.rs::category_name`).
#[derive(Debug)]
pub struct Texts {
    pub app: AppTexts,
    pub nav: NavTexts,
    pub settings: SettingsTexts,
    pub not_found: NotFoundTexts,
    pub errors: ErrorTexts,
    pub forms: FormTexts,
    pub field_errors: FieldErrorTexts,
    pub gate: GateTexts,
    pub age_bands: AgeBandTexts,
    pub answer: crate::pages::AnswerTexts,
    // The whole app's pages only.
    #[cfg(not(feature = "answer-app"))]
    pub home: HomeTexts,
    #[cfg(not(feature = "answer-app"))]
    pub about: AboutTexts,
    #[cfg(not(feature = "answer-app"))]
    pub privacy: PrivacyTexts,
    #[cfg(not(feature = "answer-app"))]
    pub register: RegisterTexts,
    #[cfg(not(feature = "answer-app"))]
    pub login: LoginTexts,
    #[cfg(not(feature = "answer-app"))]
    pub reset: ResetTexts,
    #[cfg(not(feature = "answer-app"))]
    pub invitation: InvitationTexts,
    #[cfg(not(feature = "answer-app"))]
    pub profile: ProfileTexts,
    #[cfg(not(feature = "answer-app"))]
    pub my_data: MyDataTexts,
    #[cfg(not(feature = "answer-app"))]
    pub roles: RoleTexts,
    #[cfg(not(feature = "answer-app"))]
    pub quarters: QuarterTexts,
    #[cfg(not(feature = "answer-app"))]
    pub managers: ManagerTexts,
    #[cfg(not(feature = "answer-app"))]
    pub audit: AuditTexts,
    #[cfg(not(feature = "answer-app"))]
    pub residents: ResidentTexts,
    #[cfg(not(feature = "answer-app"))]
    pub authoring: crate::pages::AuthoringTexts,
    #[cfg(not(feature = "answer-app"))]
    pub office: crate::pages::OfficeTexts,
    #[cfg(not(feature = "answer-app"))]
    pub help: crate::pages::HelpTexts,
    #[cfg(not(feature = "answer-app"))]
    pub contact: crate::pages::ContactTexts,
}

text_group!(
    /// Texts of the frame around every page.
    AppTexts {
        /// Name of the app, shown in the header and the window title.
        name,
        /// What the site is for, one line under the name.
        tagline,
        skip_link,
        footer,
        /// Before "030 …" where the app asks people to call (the footer, the help
        /// pages). Placeholder: `{name}`.
        call,
    }
);

text_group!(
    /// Main navigation.
    NavTexts {
        /// Accessible name of the `<nav>`.
        label,
        home,
        about,
        login,
        register,
        profile,
        /// The help pages, for someone signed in.
        help,
        logout,
        /// Accessible name of the second `<nav>`, with the staff pages.
        admin_label,
        admin_quarters,
        admin_managers,
        admin_audit,
        manager_residents,
        /// Placeholder: `{name}`.
        signed_in_as,
        signed_out,
        /// The button that shows the navigation when it does not fit in one row.
        menu,
    }
);

text_group!(
    /// The settings panel: language, text size, contrast.
    SettingsTexts {
        /// The one button in the header that shows the settings.
        button,
        title,
        language,
        text_size,
        text_size_normal,
        text_size_large,
        text_size_extra_large,
        contrast,
        high_contrast,
    }
);

text_group!(
    /// Home page; signed in, the start page.
    HomeTexts {
        title,
        intro,
        account_text,
        surveys_title,
        surveys_text,
        code_link,
        help_title,
        help_text,
        settings_hint,
        /// The start page's heading. Placeholder: `{name}`.
        greeting,
        start_intro,
        my_surveys_title,
        my_surveys_none,
        no_quarter,
        /// Placeholder: `{date}`.
        survey_open_until,
        survey_open,
        survey_answered,
        survey_needs_code,
        account_title,
        profile_link,
        staff_title,
    }
);

text_group!(
    /// About page, with the server's health.
    AboutTexts {
        title,
        intro,
        system_title,
        loading,
        status,
        status_ok,
        status_degraded,
        version,
        database,
        database_sqlite,
        database_postgres,
        migration,
        /// Placeholders: `{applied}`, `{known}`.
        migration_count,
        migration_none,
    }
);

text_group!(
    /// Page shown for an unknown address.
    NotFoundTexts {
        title,
        text,
        home_link,
    }
);

text_group!(
    /// What went wrong, one text for each kind of failure.
    ErrorTexts {
        /// Label of the button that tries a failed request again.
        retry,
        network,
        unexpected_response,
        malformed_body,
        validation_failed,
        payload_too_large,
        unsupported_media_type,
        not_found,
        method_not_allowed,
        unauthenticated,
        forbidden,
        conflict,
        rate_limited,
        /// Placeholder: `{seconds}`.
        rate_limited_wait,
        internal,
        unavailable,
    }
);

text_group!(
    /// What every form says.
    FormTexts {
        /// On the submit button while the form is being sent.
        sending,
        /// After a label: the field may stay empty.
        optional,
        /// Heading of the error summary at the top of a form.
        error_title,
        show_password,
        loading,
        no_choice,
        copy,
        copied,
        copy_failed,
    }
);

text_group!(
    /// What is wrong with a field, by the server's (or our own) error code.
    FieldErrorTexts {
        required,
        required_email,
        required_password,
        required_name,
        required_code,
        required_consent,
        required_quarters,
        /// Must name `shared::accounts::MIN_PASSWORD_LEN`.
        password_too_short,
        /// Must name `shared::accounts::MAX_PASSWORD_LEN`.
        password_too_long,
        password_too_common,
        too_long,
        invalid_email,
        email_taken,
        quarter_name_taken,
        unknown_quarter,
        wrong_password,
        invalid_code,
        outdated,
        bands_exceed_total,
        invalid_phone,
        invalid_postcode,
        invalid_url,
        not_a_number,
        in_the_past,
        invalid_time_range,
        invalid_date,
        out_of_range,
        not_eligible,
        /// Any other code.
        invalid,
    }
);

text_group!(
    /// Pages that need someone signed in, or a role.
    GateTexts {
        checking,
        sign_in_needed,
        sign_in_link,
        register_link,
        not_allowed,
    }
);

text_group!(
    /// The privacy notice agreed to when an account is created. Its version is
    /// `shared::accounts::PRIVACY_NOTICE_VERSION`: change both together.
    PrivacyTexts {
        title,
        /// When the notice was written; goes with `PRIVACY_NOTICE_VERSION`.
        version,
        what_title,
        what,
        why_title,
        why,
        who_title,
        who,
        rights_title,
        rights,
        consent,
    }
);

text_group!(
    /// `/register`
    RegisterTexts {
        title,
        intro,
        email,
        email_hint,
        password,
        /// Must name `shared::accounts::MIN_PASSWORD_LEN`.
        password_hint,
        display_name,
        display_name_hint,
        home_quarter,
        home_quarter_hint,
        volunteer,
        volunteer_hint,
        submit,
        have_account,
        login_link,
    }
);

text_group!(
    /// `/login`
    LoginTexts {
        title,
        email,
        password,
        submit,
        wrong_credentials,
        forgot,
        forgot_link,
        no_account,
        register_link,
        invitation_link,
    }
);

text_group!(
    /// `/reset-password`
    ResetTexts {
        title,
        intro,
        email,
        code,
        code_hint,
        new_password,
        submit,
        success,
        login_link,
    }
);

text_group!(
    /// `/invitation` and `/invitation/:code`
    InvitationTexts {
        title,
        intro,
        code,
        code_hint,
        password,
        submit,
        email_taken,
    }
);

text_group!(
    /// `/profile/data`: everything stored about the reader, to read and print.
    MyDataTexts {
        title,
        intro,
        print,
        back,
        account_title,
        not_given,
        language,
        text_size,
        consent,
        consent_value,
        created,
        updated,
        roles_title,
        since,
        sessions_title,
        session,
        codes_title,
        code_issued,
        code_used,
        code_unused,
        invitations_title,
        invitation,
        no,
        access_title,
        access,
        none,
    }
);

text_group!(
    /// `/profile`
    ProfileTexts {
        title,
        details_title,
        email,
        display_name,
        home_quarter,
        age_band,
        age_band_hint,
        phone,
        phone_hint,
        roles,
        save,
        saved,
        password_title,
        current_password,
        new_password,
        password_submit,
        password_changed,
        data_title,
        data_text,
        export,
        exporting,
        exported,
        delete_title,
        delete_text,
        delete_password,
        delete_confirm,
        last_admin,
        deleted,
        volunteer_title,
        volunteer_on,
        volunteer_off,
        volunteer_start,
        volunteer_stop,
        volunteer_stop_hint,
        volunteer_started,
        volunteer_offer_link,
        volunteer_stopped,
        data_view,
        file_hint,
        delete_start,
        delete_cancel,
        delete_question,
    }
);

text_group!(
    /// Age bands, for population figures and the profile.
    AgeBandTexts {
        under_50,
        from_50_to_64,
        from_65_to_74,
        from_75_to_84,
        from_85,
    }
);

text_group!(
    /// Names of the roles.
    RoleTexts {
        resident,
        volunteer,
        manager,
        admin,
    }
);

text_group!(
    /// `/admin/quarters`
    QuarterTexts {
        title,
        intro,
        list_title,
        empty,
        population_total,
        /// Placeholder: `{name}`.
        edit,
        create_title,
        /// Placeholder: `{name}`.
        edit_title,
        name,
        description,
        population_title,
        population_hint,
        total,
        bands_title,
        /// Placeholders: `{sum}`, `{total}`.
        bands_sum,
        create,
        save,
        cancel,
        created,
        saved,
    }
);

text_group!(
    /// `/admin/managers`
    ManagerTexts {
        title,
        intro,
        list_title,
        empty,
        quarters,
        invite_title,
        invite_intro,
        email,
        display_name,
        quarters_legend,
        no_quarters,
        submit,
        created,
        link,
        code,
        /// Placeholder: `{date}`.
        valid_until,
        result_title,
        code_hint,
    }
);

text_group!(
    /// `/admin/audit`
    AuditTexts {
        title,
        intro,
        empty,
        when,
        who,
        action,
        quarter,
        all_quarters,
        deleted_account,
        residents_list,
        managers_list,
        reset_code_issue,
        invitation_create,
        volunteer_start,
        volunteer_stop,
        contact_update,
    }
);

text_group!(
    /// `/manager/residents`
    ResidentTexts {
        title,
        intro,
        filter,
        filter_all,
        empty,
        quarter,
        no_quarter,
        roles,
        reset_button,
        /// Placeholder: `{name}`.
        code_for,
        /// Placeholder: `{date}`.
        code_valid_until,
        code_hint,
        staff,
    }
);

impl FieldErrorTexts {
    /// What is wrong with `field` (the JSON name the server uses), for `code`.
    pub fn message(&self, field: &str, code: &str) -> &'static str {
        let password = matches!(field, "password" | "new_password" | "current_password");
        match (field, code) {
            ("accept_privacy_notice", REQUIRED) => self.required_consent,
            ("email", REQUIRED) => self.required_email,
            ("display_name" | "name", REQUIRED) => self.required_name,
            ("code", REQUIRED) => self.required_code,
            ("quarter_ids", REQUIRED) => self.required_quarters,
            (_, REQUIRED) if password => self.required_password,
            (_, REQUIRED) => self.required,
            (_, TOO_SHORT) if password => self.password_too_short,
            (_, TOO_LONG) if password => self.password_too_long,
            (_, TOO_LONG) => self.too_long,
            (_, TOO_COMMON) => self.password_too_common,
            (_, INVALID_EMAIL) => self.invalid_email,
            ("email", TAKEN) => self.email_taken,
            ("name", TAKEN) => self.quarter_name_taken,
            (_, UNKNOWN_QUARTER) => self.unknown_quarter,
            (_, WRONG_PASSWORD) => self.wrong_password,
            (_, INVALID_CODE) => self.invalid_code,
            (_, OUTDATED) => self.outdated,
            (_, BANDS_EXCEED_TOTAL) => self.bands_exceed_total,
            (_, INVALID_PHONE) => self.invalid_phone,
            (_, INVALID_POSTCODE) => self.invalid_postcode,
            (_, INVALID_URL) => self.invalid_url,
            (_, NOT_A_NUMBER) => self.not_a_number,
            (_, IN_THE_PAST) => self.in_the_past,
            (_, INVALID_TIME_RANGE) => self.invalid_time_range,
            (_, INVALID_DATE) => self.invalid_date,
            (_, OUT_OF_RANGE) => self.out_of_range,
            (_, NOT_ELIGIBLE) => self.not_eligible,
            _ => self.invalid,
        }
    }
}

impl AgeBandTexts {
    pub fn label(&self, band: AgeBand) -> &'static str {
        match band {
            AgeBand::Under50 => self.under_50,
            AgeBand::From50To64 => self.from_50_to_64,
            AgeBand::From65To74 => self.from_65_to_74,
            AgeBand::From75To84 => self.from_75_to_84,
            AgeBand::From85 => self.from_85,
        }
    }
}

impl RoleTexts {
    pub fn label(&self, role: Role) -> &'static str {
        match role {
            Role::Resident => self.resident,
            Role::Volunteer => self.volunteer,
            Role::Manager => self.manager,
            Role::Admin => self.admin,
        }
    }
}

impl AuditTexts {
    /// The audit log's action names, in words; an action this app does not know
    /// yet is shown by its name.
    pub fn action(&self, action: &str) -> Option<&'static str> {
        match action {
            "residents.list" => Some(self.residents_list),
            "managers.list" => Some(self.managers_list),
            "reset_code.issue" => Some(self.reset_code_issue),
            "invitation.create" => Some(self.invitation_create),
            "volunteer.start" => Some(self.volunteer_start),
            "volunteer.stop" => Some(self.volunteer_stop),
            "organisation.contact.update" => Some(self.contact_update),
            _ => None,
        }
    }
}

impl SettingsTexts {
    pub fn text_size_label(&self, size: TextSize) -> &'static str {
        match size {
            TextSize::Normal => self.text_size_normal,
            TextSize::Large => self.text_size_large,
            TextSize::ExtraLarge => self.text_size_extra_large,
        }
    }
}

impl ErrorTexts {
    /// The message for a problem the server reported.
    pub fn for_code(&self, code: ErrorCode) -> &'static str {
        match code {
            ErrorCode::MalformedBody => self.malformed_body,
            ErrorCode::ValidationFailed => self.validation_failed,
            ErrorCode::PayloadTooLarge => self.payload_too_large,
            ErrorCode::UnsupportedMediaType => self.unsupported_media_type,
            ErrorCode::NotFound => self.not_found,
            ErrorCode::MethodNotAllowed => self.method_not_allowed,
            ErrorCode::Unauthenticated => self.unauthenticated,
            ErrorCode::Forbidden => self.forbidden,
            ErrorCode::Conflict => self.conflict,
            ErrorCode::RateLimited => self.rate_limited,
            ErrorCode::Internal => self.internal,
            ErrorCode::Unavailable => self.unavailable,
        }
    }
}

/// The English texts, in a wasm chunk of their own (`#[lazy]`): German is the default,
/// and a German reader never downloads them. [`crate::prefs`] asks for them when
/// English is chosen.
#[leptos::lazy]
pub fn english() -> &'static Texts {
    &EN
}

impl Texts {
    /// `(group.key, text)` for every text.
    #[cfg(test)]
    fn entries(&self) -> Vec<(String, &'static str)> {
        let groups = [
            ("app", self.app.entries()),
            ("nav", self.nav.entries()),
            ("settings", self.settings.entries()),
            ("home", self.home.entries()),
            ("about", self.about.entries()),
            ("not_found", self.not_found.entries()),
            ("errors", self.errors.entries()),
            ("forms", self.forms.entries()),
            ("field_errors", self.field_errors.entries()),
            ("gate", self.gate.entries()),
            ("privacy", self.privacy.entries()),
            ("register", self.register.entries()),
            ("login", self.login.entries()),
            ("reset", self.reset.entries()),
            ("invitation", self.invitation.entries()),
            ("profile", self.profile.entries()),
            ("my_data", self.my_data.entries()),
            ("age_bands", self.age_bands.entries()),
            ("roles", self.roles.entries()),
            ("quarters", self.quarters.entries()),
            ("managers", self.managers.entries()),
            ("audit", self.audit.entries()),
            ("residents", self.residents.entries()),
            ("answer", self.answer.entries()),
            ("authoring", self.authoring.entries()),
            ("office", self.office.entries()),
            ("help", self.help.entries()),
            ("contact", self.contact.entries()),
        ];
        groups
            .into_iter()
            .flat_map(|(group, entries)| {
                entries
                    .into_iter()
                    .map(move |(key, text)| (format!("{group}.{key}"), text))
            })
            .collect()
    }
}

/// Name of a language in that language, so that people find their own
/// ("Deutsch", "English") whatever the page is currently shown in.
pub fn language_name(language: Language) -> &'static str {
    match language {
        Language::De => "Deutsch",
        Language::En => "English",
    }
}

/// A text of the current language, for a view: `{tr(|t| t.answer.next)}`. Every use
/// is the same closure type, so the rendering code is in the wasm once, not once per
/// text as with a `move || t().answer.next` closure each.
pub fn tr(text: Text) -> impl Fn() -> &'static str + Copy + Send + Sync + 'static {
    let texts = crate::prefs::use_texts();
    move || text(texts())
}

/// Replaces each `{name}` in `template` by its value from `args`.
pub fn fill(template: &str, args: &[(&str, &str)]) -> String {
    let mut out = template.to_owned();
    for (name, value) in args {
        out = out.replace(&format!("{{{name}}}"), value);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;

    /// Texts that are rightly the same in both languages (names, symbols).
    const SAME_IN_BOTH: &[&str] = &[
        "app.name",
        "about.database_sqlite",
        "about.database_postgres",
        "age_bands.from_50_to_64",
        "age_bands.from_65_to_74",
        "age_bands.from_75_to_84",
        "managers.code",
        "my_data.access",
        "help.urgency_normal",
    ];

    fn placeholders(text: &str) -> BTreeSet<&str> {
        let mut found = BTreeSet::new();
        let mut rest = text;
        while let Some(start) = rest.find('{') {
            let after = &rest[start + 1..];
            match after.find('}') {
                Some(end) => {
                    found.insert(&after[..end]);
                    rest = &after[end + 1..];
                }
                None => break,
            }
        }
        found
    }

    fn pairs() -> Vec<(String, &'static str, &'static str)> {
        let de = DE.entries();
        let en = EN.entries();
        assert_eq!(de.len(), en.len());
        de.into_iter()
            .zip(en)
            .map(|((key, de), (en_key, en))| {
                assert_eq!(key, en_key);
                (key, de, en)
            })
            .collect()
    }

    #[test]
    fn no_text_is_empty() {
        for (key, de, en) in pairs() {
            assert!(!de.trim().is_empty(), "German text {key} is empty");
            assert!(!en.trim().is_empty(), "English text {key} is empty");
        }
    }

    #[test]
    fn both_languages_use_the_same_placeholders() {
        for (key, de, en) in pairs() {
            assert_eq!(
                placeholders(de),
                placeholders(en),
                "placeholders of {key} differ"
            );
        }
    }

    #[test]
    fn the_first_paint_is_the_start_and_sign_in_pages_in_both_languages() {
        // index.html shows the signed-out start page (and on /login and /register the
        // sign-in and registration pages) before the wasm arrives; each
        // text is marked `data-t="group.key" data-en="English">German<`. If the app's
        // texts change, this names the line of index.html to change with them.
        let html = include_str!("../index.html");
        let texts: std::collections::HashMap<String, (&str, &str)> = pairs()
            .into_iter()
            .map(|(key, de, en)| (key, (de, en)))
            .collect();
        let mut seen = Vec::new();
        for part in html.split(" data-t=\"").skip(1) {
            let (key, rest) = part.split_once('"').unwrap_or_default();
            let en = rest
                .split_once("data-en=\"")
                .and_then(|(_, r)| r.split_once('"'))
                .map(|(en, _)| en)
                .unwrap_or_default();
            let de = rest
                .split_once('>')
                .and_then(|(_, r)| r.split_once('<'))
                .map(|(de, _)| de)
                .unwrap_or_default();
            let Some((want_de, want_en)) = texts.get(key) else {
                panic!("index.html: no text {key}");
            };
            assert_eq!(de, *want_de, "index.html: German of {key}");
            assert_eq!(en, *want_en, "index.html: English of {key}");
            seen.push(key);
        }
        for key in [
            "home.title",
            "home.intro",
            "nav.login",
            "nav.register",
            "login.title",
            "login.forgot",
            "register.title",
            "privacy.consent",
        ] {
            assert!(seen.contains(&key), "index.html shows {key}");
        }
        assert!(html.contains(&format!("<title>{} · Quartier</title>", DE.home.title)));
        assert!(
            html.contains(r#"<a href="/login" data-t="nav.login""#),
            "a plain link"
        );
    }

    #[test]
    fn every_text_is_translated() {
        for (key, de, en) in pairs() {
            if !SAME_IN_BOTH.contains(&key.as_str()) {
                assert_ne!(de, en, "{key} is the same in German and English");
            }
        }
    }

    #[test]
    fn allowlist_names_existing_texts() {
        let keys: Vec<String> = pairs().into_iter().map(|(key, _, _)| key).collect();
        for key in SAME_IN_BOTH {
            assert!(keys.iter().any(|k| k == key), "unknown key {key}");
        }
    }

    #[test]
    fn texts_are_tidy() {
        for (key, de, en) in pairs() {
            for text in [de, en] {
                assert_eq!(text, text.trim(), "{key} has surrounding spaces");
                assert!(!text.contains("  "), "{key} has a double space");
            }
        }
    }

    #[test]
    fn page_titles_are_the_agreed_ones() {
        assert_eq!(DE.home.title, "Willkommen in Ihrem Quartier");
        assert_eq!(EN.home.title, "Welcome to your neighbourhood");
        assert_eq!(DE.about.title, "Über Quartier");
        assert_eq!(EN.about.title, "About Quartier");
        assert_eq!(DE.not_found.title, "Seite nicht gefunden");
        assert_eq!(EN.not_found.title, "Page not found");
    }

    #[test]
    fn fill_replaces_every_placeholder() {
        let text = fill(
            DE.about.migration_count,
            &[("applied", "3"), ("known", "4")],
        );
        assert!(text.contains('3') && text.contains('4'));
        assert!(placeholders(&text).is_empty());
    }

    /// Every `(field, code)` the backend sends (see `backend/src/accounts/`,
    /// `auth/routes.rs`), plus the codes the web app finds itself before sending.
    const FIELD_ERRORS: &[(&str, &str)] = &[
        ("email", "required"),
        ("email", "too_long"),
        ("email", "invalid_email"),
        ("email", "taken"),
        ("password", "required"),
        ("password", "too_short"),
        ("password", "too_long"),
        ("password", "too_common"),
        ("password", "wrong_password"),
        ("display_name", "required"),
        ("display_name", "too_long"),
        ("home_quarter_id", "unknown_quarter"),
        ("accept_privacy_notice", "required"),
        ("privacy_notice_version", "outdated"),
        ("current_password", "required"),
        ("current_password", "wrong_password"),
        ("new_password", "required"),
        ("new_password", "too_short"),
        ("new_password", "too_long"),
        ("new_password", "too_common"),
        ("phone", "invalid_phone"),
        ("code", "required"),
        ("code", "invalid_code"),
        ("quarter_ids", "required"),
        ("quarter_ids", "unknown_quarter"),
        ("name", "required"),
        ("name", "too_long"),
        ("name", "taken"),
        ("description", "too_long"),
        ("population", "bands_exceed_total"),
        ("population.total", "not_a_number"),
    ];

    #[test]
    fn every_field_error_has_its_own_words() {
        for texts in [&DE, &EN] {
            for (field, code) in FIELD_ERRORS {
                let text = texts.field_errors.message(field, code);
                assert_ne!(
                    text, texts.field_errors.invalid,
                    "{field}/{code} falls back to the generic text"
                );
            }
            assert_eq!(
                texts.field_errors.message("email", "something_new"),
                texts.field_errors.invalid
            );
        }
    }

    #[test]
    fn field_errors_are_specific_to_the_field() {
        let m = |field, code| DE.field_errors.message(field, code);
        assert_eq!(m("email", "required"), DE.field_errors.required_email);
        assert_eq!(
            m("new_password", "required"),
            DE.field_errors.required_password
        );
        assert_eq!(
            m("accept_privacy_notice", "required"),
            DE.field_errors.required_consent
        );
        assert_eq!(m("name", "too_long"), DE.field_errors.too_long);
        assert_eq!(m("password", "too_long"), DE.field_errors.password_too_long);
    }

    #[test]
    fn password_rules_name_the_real_lengths() {
        use shared::accounts::{MAX_PASSWORD_LEN, MIN_PASSWORD_LEN};
        let min = MIN_PASSWORD_LEN.to_string();
        let max = MAX_PASSWORD_LEN.to_string();
        for texts in [&DE, &EN] {
            assert!(texts.register.password_hint.contains(&min));
            assert!(texts.field_errors.password_too_short.contains(&min));
            assert!(texts.field_errors.password_too_long.contains(&max));
        }
        assert!(DE.register.password_hint.contains("mindestens 10 Zeichen"));
    }

    #[test]
    fn every_audit_action_the_backend_records_is_in_words() {
        for action in [
            "residents.list",
            "managers.list",
            "reset_code.issue",
            "invitation.create",
            "organisation.contact.update",
        ] {
            assert!(DE.audit.action(action).is_some(), "{action}");
            assert!(EN.audit.action(action).is_some(), "{action}");
        }
        assert_eq!(DE.audit.action("something.new"), None);
    }

    #[test]
    fn age_bands_use_the_agreed_labels() {
        let labels: Vec<_> = AgeBand::ALL
            .into_iter()
            .map(|b| DE.age_bands.label(b))
            .collect();
        assert_eq!(
            labels,
            ["unter 50", "50–64", "65–74", "75–84", "85 und älter"]
        );
    }

    #[test]
    fn english_arrives_as_the_english_texts() {
        let english = futures::executor::block_on(english());
        assert_eq!(english.home.title, EN.home.title);
    }
}
