//! Rate limits for login, registration and code redemption, per client IP and per account.
//!
//! Counters live in each server instance (`governor`); with N instances behind a load
//! balancer an attacker gets at most N times the quota, which still stops guessing.

use std::num::NonZeroU32;
use std::time::Duration;

use governor::clock::{Clock, DefaultClock};
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};

use crate::error::ApiError;

/// Attempts allowed per minute (with the same burst).
#[derive(Debug, Clone, Copy)]
pub struct LimitSettings {
    pub per_ip_per_minute: u32,
    pub per_account_per_minute: u32,
}

impl Default for LimitSettings {
    fn default() -> Self {
        LimitSettings {
            per_ip_per_minute: 30,
            per_account_per_minute: 5,
        }
    }
}

pub struct Limits {
    per_ip: DefaultKeyedRateLimiter<String>,
    per_account: DefaultKeyedRateLimiter<String>,
}

fn quota(per_minute: u32) -> Quota {
    Quota::per_minute(NonZeroU32::new(per_minute.max(1)).unwrap_or(NonZeroU32::MIN))
}

impl Limits {
    pub fn new(settings: LimitSettings) -> Limits {
        Limits {
            per_ip: RateLimiter::keyed(quota(settings.per_ip_per_minute)),
            per_account: RateLimiter::keyed(quota(settings.per_account_per_minute)),
        }
    }

    /// Counts one attempt from `ip` (and for `account`, if given); 429 when over quota.
    pub fn check(&self, ip: &str, account: Option<&str>) -> Result<(), ApiError> {
        let clock = DefaultClock::default();
        let refuse = |wait: Duration| ApiError::RateLimited {
            retry_after_secs: wait.as_secs().max(1),
        };
        if let Err(not_until) = self.per_ip.check_key(&ip.to_owned()) {
            return Err(refuse(not_until.wait_time_from(clock.now())));
        }
        if let Some(account) = account {
            let key = account.trim().to_lowercase();
            if let Err(not_until) = self.per_account.check_key(&key) {
                return Err(refuse(not_until.wait_time_from(clock.now())));
            }
        }
        Ok(())
    }
}
