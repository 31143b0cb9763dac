//! Pieces of the layout and widgets used by several pages.

mod error_notice;
mod footer;
pub mod form;
mod gate;
mod header;
mod office;
mod page_title;
mod settings;

pub use error_notice::ErrorNotice;
pub use footer::Footer;
pub use gate::RequireRole;
pub use header::{Header, SkipLink, focus_main_at_top};
pub use office::{OfficePhones, provide_offices, use_offices};
pub use page_title::PageTitle;
pub use settings::SettingsPanel;

whole_app! {
    mod privacy_notice;

    pub use office::OfficeDetails;
    pub use privacy_notice::PrivacyNotice;
}
