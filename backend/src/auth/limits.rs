//! Rate limits for login, registration, code redemption and password checks, per client
//! IP and per account.
//!
//! Counters live in each server instance (`governor`); with N instances behind a load
//! balancer an attacker gets at most N times the quota, which still stops guessing.
//!
//! Memory is bounded whatever keys an attacker sends: a key (an IP, an e-mail address,
//! a device) is folded by a per-process keyed hash into one of `KEY_BUCKETS` buckets, so
//! each limiter holds at most that many counters (a few MB at worst), and `prune` drops
//! counters that have refilled completely; the server calls it every `PRUNE_EVERY`.
//! Two keys sharing a bucket share a quota; with 65,536 buckets that is rare, and a
//! stranger cannot choose the collisions without the process's hash key.

use std::hash::{BuildHasher, Hash, Hasher};
use std::net::IpAddr;
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

/// Counters a limiter holds at most.
pub const KEY_BUCKETS: u64 = 1 << 16;
/// How often the server drops counters that have refilled.
pub const PRUNE_EVERY: Duration = Duration::from_secs(60);

/// Whose attempts a per-account counter counts.
#[derive(Debug, Clone, Copy)]
pub enum AccountKey<'a> {
    /// Sign-in, registration or reset for an e-mail address, from a device that has not
    /// signed in to it before (or a stranger's).
    Email(&'a str),
    /// Sign-in from a device that signed in to this account before (its device cookie,
    /// see `auth::device`): counted on its own, so strangers cannot use it up.
    KnownDevice(&'a str),
    /// A password check behind a valid access token (change password, delete account).
    User(uuid::Uuid),
}

pub struct Limits {
    per_ip: DefaultKeyedRateLimiter<u64>,
    per_account: DefaultKeyedRateLimiter<u64>,
    hash_key: std::collections::hash_map::RandomState,
}

fn quota(per_minute: u32) -> Quota {
    Quota::per_minute(NonZeroU32::new(per_minute.max(1)).unwrap_or(NonZeroU32::MIN))
}

/// The part of an address one client controls: an IPv6 client usually holds a whole
/// /64, so its addresses count as one.
fn ip_key(ip: &str) -> String {
    match ip.parse::<IpAddr>() {
        Ok(IpAddr::V6(v6)) if v6.to_ipv4_mapped().is_none() => {
            let s = v6.segments();
            format!("{:x}:{:x}:{:x}:{:x}::/64", s[0], s[1], s[2], s[3])
        }
        Ok(IpAddr::V6(v6)) => v6
            .to_ipv4_mapped()
            .map_or_else(String::new, |v4| v4.to_string()),
        _ => ip.to_owned(),
    }
}

impl Limits {
    pub fn new(settings: LimitSettings) -> Limits {
        Limits {
            per_ip: RateLimiter::keyed(quota(settings.per_ip_per_minute)),
            per_account: RateLimiter::keyed(quota(settings.per_account_per_minute)),
            hash_key: std::collections::hash_map::RandomState::new(),
        }
    }

    fn bucket(&self, kind: u8, key: &str) -> u64 {
        let mut hasher = self.hash_key.build_hasher();
        kind.hash(&mut hasher);
        key.hash(&mut hasher);
        hasher.finish() % KEY_BUCKETS
    }

    fn account_bucket(&self, account: AccountKey<'_>) -> u64 {
        match account {
            AccountKey::Email(email) => self.bucket(1, &crate::accounts::email::canonical(email)),
            AccountKey::KnownDevice(device) => self.bucket(2, device),
            AccountKey::User(id) => self.bucket(3, &id.to_string()),
        }
    }

    /// Counts one attempt from `ip` (and for `account`, if given); 429 when over quota.
    pub fn check(&self, ip: &str, account: Option<AccountKey<'_>>) -> Result<(), ApiError> {
        let clock = DefaultClock::default();
        let refuse = |wait: Duration| ApiError::RateLimited {
            retry_after_secs: wait.as_secs().max(1),
        };
        if let Err(not_until) = self.per_ip.check_key(&self.bucket(0, &ip_key(ip))) {
            return Err(refuse(not_until.wait_time_from(clock.now())));
        }
        if let Some(account) = account
            && let Err(not_until) = self.per_account.check_key(&self.account_bucket(account))
        {
            return Err(refuse(not_until.wait_time_from(clock.now())));
        }
        Ok(())
    }

    /// Drops the counters of keys whose quota has refilled completely: they are
    /// indistinguishable from keys never seen.
    pub fn prune(&self) {
        self.per_ip.retain_recent();
        self.per_account.retain_recent();
        self.per_ip.shrink_to_fit();
        self.per_account.shrink_to_fit();
    }

    /// Counters held, both limiters together.
    pub fn len(&self) -> usize {
        self.per_ip.len() + self.per_account.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}
