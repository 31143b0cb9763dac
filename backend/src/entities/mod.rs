//! SeaORM entities: plain table mappings. Rules live in the feature services.

pub mod access_code;
pub mod audit_entry;
pub mod help_event;
pub mod help_request;
pub mod invitation;
pub mod invitation_quarter;
pub mod notification;
pub mod organisation;
pub mod organisation_contact;
pub mod quarter;
pub mod refresh_token;
pub mod reset_code;
pub mod role_grant;
pub mod survey;
pub mod survey_draft;
pub mod survey_participant;
pub mod survey_quarter;
pub mod survey_response;
pub mod survey_tally;
pub mod survey_version;
pub mod user;
pub mod volunteer_offer;
pub mod volunteer_quarter;
