//! Work the server does on a timer, not on a request.

use std::sync::Weak;

use crate::auth::limits::PRUNE_EVERY;
use crate::startup::AppState;

/// Starts the timers; each ends once the server's state is gone.
pub fn start(state: Weak<AppState>) {
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(PRUNE_EVERY);
        tick.tick().await;
        loop {
            tick.tick().await;
            let Some(state) = state.upgrade() else { break };
            state.limits.prune();
        }
    });
}
