//! The neighbourhood office's contact details, loaded once per session and shown on
//! the about page, in the footer and next to every "call your office".

use leptos::{either::Either, prelude::*};
use shared::contact::OfficeContactDto;

use crate::{
    api::{self, ApiError},
    auth::Auth,
    i18n::fill,
    prefs::{self, use_prefs, use_texts},
};

/// The offices to show (usually one): every organisation's for visitors, the own
/// organisation's once signed in (`GET /contacts`).
#[derive(Clone, Copy)]
pub struct Offices(LocalResource<Result<Vec<OfficeContactDto>, ApiError>>);

impl Offices {
    /// What has arrived so far (tracked): `None` while loading the first time.
    pub fn state(&self) -> Option<Result<Vec<OfficeContactDto>, ApiError>> {
        self.0.get()
    }

    /// The offices that have a telephone number (tracked); empty until they arrive.
    pub fn with_phone(&self) -> Vec<OfficeContactDto> {
        self.0.with(|state| match state {
            Some(Ok(list)) => list
                .iter()
                .filter(|o| o.phone_uri.is_some())
                .cloned()
                .collect(),
            _ => Vec::new(),
        })
    }

    /// The offices as loaded so far, without tracking.
    pub fn untracked(&self) -> Vec<OfficeContactDto> {
        self.0.with_untracked(|state| match state {
            Some(Ok(list)) => list.clone(),
            _ => Vec::new(),
        })
    }

    pub fn refetch(&self) {
        self.0.refetch();
    }
}

/// Where the offices last loaded are kept on the device (public details only), so a
/// page opened without a connection still shows whom to call.
const KEPT: &str = "quartier.offices";

/// Loads the offices, again whenever a different person signs in or out. Without a
/// connection, the offices last loaded on this device stand in.
pub fn provide_offices(auth: Auth) {
    let who = Memo::new(move |_| auth.user().map(|u| u.id));
    let resource = LocalResource::new(move || {
        who.track();
        async move {
            let fetched = match api::contacts(auth).await {
                Ok(json) => match answering_lazily!(read_offices(json.clone())) {
                    Some(list) => {
                        prefs::store(KEPT, &json);
                        return Ok(list);
                    }
                    None => ApiError::UnexpectedResponse { status: 200 },
                },
                Err(error) => error,
            };
            match prefs::load(KEPT) {
                Some(json) => answering_lazily!(read_offices(json)).ok_or(fetched),
                None => Err(fetched),
            }
        }
    });
    provide_context(Offices(resource));
}

/// Reads a list of offices. In the answering app a lazy part, fetched after the page
/// shows: the footer's telephone numbers are not what a person from a letter waits for,
/// and the offices' reader was the largest in that app's first download.
#[cfg_attr(feature = "answer-app", leptos::lazy)]
fn read_offices(json: String) -> Option<Vec<OfficeContactDto>> {
    serde_json::from_str(&json).ok()
}

pub fn use_offices() -> Offices {
    expect_context::<Offices>()
}

/// "Telefon Quartiersbüro Nord: 030 …" with the number as a `tel:` link, one line per
/// office; nothing while the offices load or when none has a number yet.
#[component]
pub fn OfficePhones(
    /// `data-testid` of each line; its link is `<testid>-link`.
    testid: &'static str,
    #[prop(optional)] class: &'static str,
) -> impl IntoView {
    let t = use_texts();
    let offices = use_offices();
    move || {
        offices
            .with_phone()
            .into_iter()
            .map(|office| {
                let name = office.office_name.clone();
                let label = move || fill(t().app.call, &[("name", &name)]);
                view! {
                    <p class=format!("office-phone {class}") data-testid=testid>
                        {label}
                        " "
                        <a
                            class="office-phone__number"
                            href=office.phone_uri.unwrap_or_default()
                            data-testid=format!("{testid}-link")
                        >
                            {office.phone}
                        </a>
                    </p>
                }
            })
            .collect_view()
    }
}

/// One office in full, for the about page: address, telephone, e-mail, opening
/// hours (in the reader's language, German when there is no English) and legal notice.
#[cfg(not(feature = "answer-app"))]
#[component]
pub fn OfficeDetails(office: OfficeContactDto, index: usize) -> impl IntoView {
    let t = use_texts();
    let prefs = use_prefs();
    let title_id = format!("office-{index}-title");
    let address: Vec<String> = [
        office.street.clone(),
        office.address_extra.clone(),
        format!("{} {}", office.postcode, office.city)
            .trim()
            .to_owned(),
    ]
    .into_iter()
    .filter(|line| !line.trim().is_empty())
    .collect();
    let address = (!address.is_empty()).then(|| {
        view! {
            <div class="facts__row">
                <dt>{move || t().contact.address}</dt>
                <dd data-testid="office-address">
                    {address
                        .into_iter()
                        .map(|line| view! { <span class="facts__line">{line}</span> })
                        .collect_view()}
                </dd>
            </div>
        }
    });
    let phone = match office.phone_uri.clone() {
        Some(uri) => Either::Left(view! {
            <div class="facts__row">
                <dt>{move || t().contact.phone}</dt>
                <dd>
                    <a class="office-phone__number" href=uri data-testid="office-phone">
                        {office.phone.clone()}
                    </a>
                </dd>
            </div>
        }),
        None => Either::Right(view! {
            <div class="facts__row">
                <dt>{move || t().contact.phone}</dt>
                <dd data-testid="office-phone-missing">{move || t().contact.missing}</dd>
            </div>
        }),
    };
    let email = office.email.clone().map(|email| {
        view! {
            <div class="facts__row">
                <dt>{move || t().contact.email}</dt>
                <dd>
                    <a href=format!("mailto:{email}") data-testid="office-email">{email.clone()}</a>
                </dd>
            </div>
        }
    });
    let hours = office.opening_hours.clone();
    let has_hours = !hours.de.trim().is_empty();
    let hours = has_hours.then(|| {
        view! {
            <div class="facts__row">
                <dt>{move || t().contact.opening_hours}</dt>
                <dd class="pre-line" data-testid="office-hours">
                    {move || hours.get(prefs.language.get()).to_owned()}
                </dd>
            </div>
        }
    });
    let legal_id = format!("office-{index}-legal");
    let has_legal = !office.legal_notice.trim().is_empty() || office.legal_notice_url.is_some();
    let legal = has_legal.then(|| {
        let text = (!office.legal_notice.trim().is_empty()).then(|| {
            view! { <p class="pre-line" data-testid="office-legal">{office.legal_notice.clone()}</p> }
        });
        let link = office.legal_notice_url.clone().map(|url| {
            view! {
                <p>
                    <a href=url data-testid="office-legal-link">{move || t().contact.legal_notice_link}</a>
                </p>
            }
        });
        view! {
            <section aria-labelledby=legal_id.clone()>
                <h3 id=legal_id.clone()>{move || t().contact.legal_notice}</h3>
                {text}
                {link}
            </section>
        }
    });
    view! {
        <section class="office" aria-labelledby=title_id.clone() data-testid="office">
            <h2 id=title_id.clone() data-testid="office-name">{office.office_name.clone()}</h2>
            <dl class="facts">{address} {phone} {email} {hours}</dl>
            {legal}
        </section>
    }
}
