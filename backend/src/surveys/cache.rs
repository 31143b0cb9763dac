//! Surveys as the answering page needs them, kept parsed in memory for a moment.
//!
//! Every public read and every submission needs the survey: its status, access, quarters
//! and parsed definition. Loading and parsing it per request cost more than everything
//! else a submission does, so each instance keeps what it loaded for `FRESH_FOR`.
//! Staleness rule: a change made through this instance (an edit, a status change, a
//! deleted draft, a renamed quarter) forgets the entry at once; a change made through
//! another instance sharing the PostgreSQL database is seen at the latest `FRESH_FOR`
//! later. Time-based closing needs no refresh: the status is computed from `closes_at`
//! on every request.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, OnceLock, PoisonError};
use std::time::{Duration, Instant};

use actix_web::web::Bytes;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use shared::surveys::{QuarterChoiceDto, SurveyStatus};
use uuid::Uuid;

use super::stored::{Stored, load};
use crate::db::Db;
use crate::entities::quarter;
use crate::error::ApiError;

/// How long a loaded survey is used before it is read again: the most another instance's
/// change may take to show here.
pub const FRESH_FOR: Duration = Duration::from_secs(1);
/// Entries kept before expired ones are swept out.
const SWEEP_ABOVE: usize = 1024;

/// A survey as loaded, with its quarters' names for the answering page.
pub struct Live {
    pub survey: Stored,
    pub quarters: Vec<QuarterChoiceDto>,
    /// The answering page's document, encoded once (`answering::public_body`).
    pub public: OnceLock<Arc<PublicBody>>,
}

/// `GET /public/surveys/{id}`'s answer, as JSON and brotli-compressed JSON.
pub struct PublicBody {
    /// The status it was made with: an open survey turns closed at `closes_at`.
    pub status: SurveyStatus,
    pub json: Bytes,
    pub brotli: Bytes,
}

/// Per-instance cache of `Live` surveys.
#[derive(Default)]
pub struct SurveyCache {
    entries: Mutex<HashMap<Uuid, (Instant, Arc<Live>)>>,
    /// One load at a time per survey: the requests that find it stale together wait for
    /// the first one's load instead of each loading it (at 10,000 responses a second,
    /// some 30 requests found it stale together every second, each parsing the survey).
    loading: Mutex<HashMap<Uuid, Arc<tokio::sync::Mutex<()>>>>,
    /// Raised by every `forget`: a load that started before it must not be kept.
    generation: AtomicU64,
}

impl SurveyCache {
    /// The survey, from memory when loaded less than `FRESH_FOR` ago.
    pub async fn get(&self, db: &Db, id: Uuid) -> Result<Arc<Live>, ApiError> {
        if let Some(live) = self.fresh(id) {
            return Ok(live);
        }
        let gate = Arc::clone(
            self.loading
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .entry(id)
                .or_default(),
        );
        let loaded = {
            let _turn = gate.lock().await;
            // Loaded by the request this one waited for?
            match self.fresh(id) {
                Some(live) => Ok(live),
                None => self.load(db, id).await,
            }
        };
        let mut loading = self.loading.lock().unwrap_or_else(PoisonError::into_inner);
        // Nobody else waits at the gate (the map holds the other reference): remove it.
        if Arc::strong_count(&gate) == 2 {
            loading.remove(&id);
        }
        loaded
    }

    /// The survey if it was loaded less than `FRESH_FOR` ago.
    fn fresh(&self, id: Uuid) -> Option<Arc<Live>> {
        let now = Instant::now();
        self.lock()
            .get(&id)
            .filter(|(at, _)| now.duration_since(*at) < FRESH_FOR)
            .map(|(_, live)| live.clone())
    }

    /// Loads the survey and keeps it, unless it was forgotten meanwhile.
    async fn load(&self, db: &Db, id: Uuid) -> Result<Arc<Live>, ApiError> {
        let now = Instant::now();
        let generation = self.generation.load(Ordering::Acquire);
        let survey = load(db.conn(), id).await?;
        let quarters = quarter::Entity::find()
            .filter(quarter::Column::Id.is_in(survey.quarter_ids.iter().copied()))
            .all(db.conn())
            .await?
            .into_iter()
            .map(|q| QuarterChoiceDto {
                id: q.id,
                name: q.name,
            })
            .collect();
        let live = Arc::new(Live {
            survey,
            quarters,
            public: OnceLock::new(),
        });
        let mut entries = self.lock();
        if self.generation.load(Ordering::Acquire) == generation {
            if entries.len() >= SWEEP_ABOVE {
                entries.retain(|_, (at, _)| now.duration_since(*at) < FRESH_FOR);
            }
            entries.insert(id, (now, live.clone()));
        }
        Ok(live)
    }

    /// Forgets a survey changed through this instance.
    pub fn forget(&self, id: Uuid) {
        self.generation.fetch_add(1, Ordering::AcqRel);
        self.lock().remove(&id);
    }

    /// Forgets every survey (a quarter's name changed).
    pub fn forget_all(&self) {
        self.generation.fetch_add(1, Ordering::AcqRel);
        self.lock().clear();
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<Uuid, (Instant, Arc<Live>)>> {
        // The map holds no invariant a panicking holder could break.
        self.entries.lock().unwrap_or_else(PoisonError::into_inner)
    }
}
