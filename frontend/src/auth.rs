//! Who is signed in: the session, shared through a context ([`Auth`]).
//!
//! The access token lives only in memory, in a signal here; never in `localStorage`,
//! where any script on the page could read it. What survives a reload is the
//! HttpOnly refresh cookie, which only the server sees: on start the app asks for a
//! new session with it once ([`provide_auth`]). The HTTP itself is in [`crate::api`].

use leptos::{prelude::*, task::spawn_local};
use shared::{
    MeDto, Role, SessionDto,
    accounts::{UpdateProfileRequest, Uuid},
};

use crate::{
    api,
    i18n::Text,
    prefs::{Prefs, use_prefs},
};

/// The session, shared through a context. `Copy`, so it moves into closures freely.
#[derive(Debug, Clone, Copy)]
pub struct Auth {
    token: RwSignal<Option<String>>,
    user: RwSignal<Option<MeDto>>,
    /// True until the first refresh has answered: only then do we know whether
    /// someone is signed in, so pages wait rather than show "please sign in".
    restoring: RwSignal<bool>,
    /// A short message for one page, e.g. "you are signed out" on the home page.
    notice: RwSignal<Option<(String, Text)>>,
    prefs: Prefs,
}

impl Auth {
    /// The signed-in user (tracked).
    pub fn user(&self) -> Option<MeDto> {
        self.user.get()
    }

    /// The signed-in user, without tracking: for the initial values of a form.
    pub fn user_untracked(&self) -> Option<MeDto> {
        self.user.get_untracked()
    }

    pub fn is_signed_in(&self) -> bool {
        self.user.with(Option::is_some)
    }

    pub fn has_role(&self, role: Role) -> bool {
        self.user
            .with(|user| user.as_ref().is_some_and(|u| u.has_role(role)))
    }

    /// Managers and admins: the people of the neighbourhood office.
    pub fn is_staff(&self) -> bool {
        self.has_role(Role::Manager) || self.has_role(Role::Admin)
    }

    pub fn is_restoring(&self) -> bool {
        self.restoring.get()
    }

    /// The access token for the `Authorization` header (untracked).
    pub(crate) fn access_token(&self) -> Option<String> {
        self.token.get_untracked()
    }

    /// After sign-in: the new session, and the user's remembered language and text
    /// size (unless this device chose them while the account has the defaults).
    pub fn sign_in(&self, session: SessionDto) {
        let user = session.user.clone();
        self.renew(session);
        self.apply_preferences(&user);
    }

    /// A new account: the session, keeping the language and text size chosen before
    /// signing up (the server only knew the defaults) and remembering them with it.
    pub fn start_new_account(&self, session: SessionDto) {
        let change = UpdateProfileRequest {
            language: Some(self.prefs.language.get_untracked()),
            text_size: Some(self.prefs.text_size.get_untracked()),
            ..Default::default()
        };
        let differs = change.language != Some(session.user.language)
            || change.text_size != Some(session.user.text_size);
        self.renew(session);
        // From now on changes are the account's; the device keeps its own.
        self.prefs.take_account(
            self.prefs.language.get_untracked(),
            self.prefs.text_size.get_untracked(),
        );
        if differs {
            remember_preference(*self, change);
        }
    }

    /// A renewed session (refresh, password change): same person, new token.
    pub(crate) fn renew(&self, session: SessionDto) {
        self.token.set(Some(session.access_token));
        self.user.set(Some(session.user));
        remember_session(true);
    }

    /// The user's account as the server now has it (after a profile change).
    pub fn set_user(&self, user: MeDto) {
        self.user.set(Some(user));
    }

    /// Forgets the session here, without asking the server (it already ended it).
    /// The device's own language and text size come back: the next person on a
    /// shared phone does not get this one's.
    pub fn sign_out_locally(&self) {
        self.token.set(None);
        self.user.set(None);
        self.prefs.take_device();
        remember_session(false);
    }

    /// While the session is being restored on a device where someone was signed in:
    /// the start page waits with a loading line instead of showing the signed-out
    /// welcome for a moment (`boot.js` paints the same).
    pub fn expects_session(&self) -> bool {
        self.restoring.get() && crate::prefs::load(SESSION_KEY).is_some()
    }

    /// Ends the session on the server (removing the cookie) and here. Signed out
    /// here even if the server cannot be reached: the person asked to leave.
    pub async fn sign_out(&self) {
        let _ = api::logout().await;
        self.sign_out_locally();
    }

    /// Shows `text` on the page at `path` (until the reader moves on).
    pub fn notify(&self, path: &str, text: Text) {
        self.notice.set(Some((path.to_owned(), text)));
    }

    /// The notice for `path`, if there is one (tracked).
    pub fn notice_for(&self, path: &str) -> Option<Text> {
        self.notice.with(|notice| {
            notice
                .as_ref()
                .filter(|(for_path, _)| for_path == path)
                .map(|(_, text)| *text)
        })
    }

    pub fn clear_notice_unless(&self, path: &str) {
        if self
            .notice
            .with_untracked(|n| n.as_ref().is_some_and(|(p, _)| p != path))
        {
            self.notice.set(None);
        }
    }

    /// Takes the account's language and text size; where the device's own choice won
    /// (see [`crate::prefs::merge`]), the account remembers it.
    fn apply_preferences(&self, user: &MeDto) {
        let (language, text_size) = self.prefs.take_account(user.language, user.text_size);
        if language.is_some() || text_size.is_some() {
            remember_preference(
                *self,
                UpdateProfileRequest {
                    language,
                    text_size,
                    ..Default::default()
                },
            );
        }
    }

    /// Whether the user may change this quarter: its manager, or an admin of the
    /// organisation it belongs to.
    pub fn may_edit_quarter(&self, quarter: Uuid, organisation: Uuid) -> bool {
        self.user.with(|user| {
            user.as_ref().is_some_and(|u| {
                u.roles.iter().any(|g| match g.role {
                    Role::Admin => g.organisation_id == Some(organisation),
                    Role::Manager => g.quarter_id == Some(quarter),
                    Role::Resident | Role::Volunteer => false,
                })
            })
        })
    }
}

/// `localStorage` key saying someone was signed in on this device at the last visit
/// (`1`, nothing else: no name, no token). `boot.js` reads it for the first paint.
pub const SESSION_KEY: &str = "quartier.session";

fn remember_session(signed_in: bool) {
    if signed_in {
        crate::prefs::store(SESSION_KEY, "1");
    } else {
        crate::prefs::remove(SESSION_KEY);
    }
}

/// Creates the session context (signed out), provides it, and restores the session
/// from the refresh cookie in the background. A 401 there just means "signed out".
pub fn provide_auth() -> Auth {
    let auth = Auth {
        token: RwSignal::new(None),
        user: RwSignal::new(None),
        restoring: RwSignal::new(true),
        notice: RwSignal::new(None),
        prefs: use_prefs(),
    };
    provide_context(auth);
    spawn_local(async move {
        if let Ok(session) = api::refresh_session(auth).await {
            auth.apply_preferences(&session.user);
        }
        auth.restoring.set(false);
    });
    auth
}

/// The session provided by [`provide_auth`].
pub fn use_auth() -> Auth {
    expect_context::<Auth>()
}

/// Remembers a changed preference with the account, if someone is signed in, so it
/// follows them to other devices. Failing only means it is not remembered there.
pub fn remember_preference(auth: Auth, change: UpdateProfileRequest) {
    if auth.user.with_untracked(Option::is_none) {
        return;
    }
    spawn_local(async move {
        if let Ok(user) = api::update_me(auth, &change).await {
            auth.set_user(user);
        }
    });
}
