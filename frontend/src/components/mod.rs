//! Pieces of the layout and widgets used by several pages.

mod error_notice;
mod footer;
mod header;
mod page_title;
mod settings;

pub use error_notice::ErrorNotice;
pub use footer::Footer;
pub use header::{Header, SkipLink, focus_main};
pub use page_title::PageTitle;
pub use settings::SettingsPanel;
