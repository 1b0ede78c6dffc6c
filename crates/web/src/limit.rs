//! Rate limits on login, registration and password reset: fixed windows per key, in
//! memory. Keys are client addresses or hashes of submitted emails, never the emails.
//! With several app nodes each node counts for itself (documented in the README).
use std::collections::HashMap;
use std::sync::Mutex;

#[derive(Debug, Clone)]
pub struct Limits {
    /// Login attempts per client address per minute.
    pub login_per_minute: u32,
    /// Login attempts per account (email) per 15 minutes.
    pub login_per_account: u32,
    /// Registrations per client address per hour.
    pub register_per_hour: u32,
    /// Password-reset requests per client address per hour.
    pub reset_per_hour: u32,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            login_per_minute: 20,
            login_per_account: 10,
            register_per_hour: 30,
            reset_per_hour: 10,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Bucket {
    LoginByAddress,
    LoginByAccount,
    Register,
    Reset,
}

pub struct Limiter {
    limits: Limits,
    windows: Mutex<HashMap<(Bucket, String), (i64, u32)>>,
}

impl Limiter {
    pub fn new(limits: Limits) -> Self {
        Self {
            limits,
            windows: Mutex::new(HashMap::new()),
        }
    }

    fn rule(&self, b: Bucket) -> (u32, i64) {
        match b {
            Bucket::LoginByAddress => (self.limits.login_per_minute, 60),
            Bucket::LoginByAccount => (self.limits.login_per_account, 900),
            Bucket::Register => (self.limits.register_per_hour, 3600),
            Bucket::Reset => (self.limits.reset_per_hour, 3600),
        }
    }

    /// Counts one attempt; false when the key is over its limit for this window.
    pub fn allow(&self, b: Bucket, key: &str, now: i64) -> bool {
        let (max, window) = self.rule(b);
        let Ok(mut map) = self.windows.lock() else {
            return false;
        };
        if map.len() > 100_000 {
            map.retain(|(bk, _), (start, _)| now - *start < self.rule(*bk).1);
        }
        let e = map.entry((b, key.to_owned())).or_insert((now, 0));
        if now - e.0 >= window {
            *e = (now, 0);
        }
        e.1 += 1;
        e.1 <= max
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn window_counts_and_resets() {
        let l = Limiter::new(Limits {
            login_per_minute: 2,
            ..Limits::default()
        });
        assert!(l.allow(Bucket::LoginByAddress, "a", 0));
        assert!(l.allow(Bucket::LoginByAddress, "a", 1));
        assert!(!l.allow(Bucket::LoginByAddress, "a", 2));
        assert!(l.allow(Bucket::LoginByAddress, "b", 2));
        assert!(l.allow(Bucket::LoginByAddress, "a", 61));
    }
}
