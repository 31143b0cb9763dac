//! Pieces of the layout and widgets used by several pages.

mod error_notice;
mod footer;
pub mod form;
mod gate;
mod header;
mod office;
mod page_title;
mod privacy_notice;
mod settings;

pub use error_notice::ErrorNotice;
pub use footer::Footer;
pub use gate::RequireRole;
pub use header::{Header, SkipLink, focus_main_at_top};
pub use office::{OfficeDetails, OfficePhones, provide_offices, use_offices};
pub use page_title::PageTitle;
pub use privacy_notice::PrivacyNotice;
pub use settings::SettingsPanel;
