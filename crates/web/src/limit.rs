//! Rate limits on login, registration and password reset: a token bucket per key, in
//! memory. A key may make `max` attempts at once; after that one more becomes possible
//! every `window / max` seconds (the lock decays), refused attempts use nothing up, and
//! the answer says truthfully how long to wait. Keys are client addresses or hashes of
//! submitted emails, never the emails. With several app nodes each node counts for
//! itself (documented in the README).
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
    /// Per key: the attempts left (fractional while refilling) as of a time (seconds).
    buckets: Mutex<HashMap<(Bucket, String), (f64, f64)>>,
}

impl Limiter {
    pub fn new(limits: Limits) -> Self {
        Self {
            limits,
            buckets: Mutex::new(HashMap::new()),
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

    /// Takes one attempt for `key`, or says in how many whole seconds the next one
    /// will be allowed.
    pub fn allow(&self, b: Bucket, key: &str, now: i64) -> Result<(), u64> {
        let (max, window) = self.rule(b);
        let max = f64::from(max.max(1));
        let per_second = max / window as f64;
        let now = now as f64;
        let Ok(mut map) = self.buckets.lock() else {
            return Err(1);
        };
        if map.len() > 100_000 {
            // Full buckets hold nothing worth keeping.
            map.retain(|_, (left, at)| *left + (now - *at) * per_second < max);
        }
        let (left, at) = map.entry((b, key.to_owned())).or_insert((max, now));
        *left = (*left + (now - *at).max(0.0) * per_second).min(max);
        *at = now;
        if *left >= 1.0 {
            *left -= 1.0;
            Ok(())
        } else {
            Err(((1.0 - *left) / per_second).ceil().max(1.0) as u64)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn attempts_refill_and_the_wait_is_told_truthfully() {
        let l = Limiter::new(Limits {
            login_per_minute: 2,
            login_per_account: 10,
            ..Limits::default()
        });
        assert_eq!(l.allow(Bucket::LoginByAddress, "a", 0), Ok(()));
        assert_eq!(l.allow(Bucket::LoginByAddress, "a", 1), Ok(()));
        // Two per minute: one more every 30 s; 1 s of it has passed since the start.
        assert_eq!(l.allow(Bucket::LoginByAddress, "a", 1), Err(29));
        assert_eq!(l.allow(Bucket::LoginByAddress, "b", 1), Ok(()));
        // Refused attempts use nothing up: the wait told is the wait.
        assert_eq!(l.allow(Bucket::LoginByAddress, "a", 20), Err(10));
        assert_eq!(l.allow(Bucket::LoginByAddress, "a", 30), Ok(()));
        // Ten wrong passwords on an account: one more try every 90 s, not a 15-minute lock.
        for t in 0..10 {
            assert_eq!(l.allow(Bucket::LoginByAccount, "acct", t), Ok(()));
        }
        let wait = l.allow(Bucket::LoginByAccount, "acct", 10).unwrap_err();
        assert!((79..=81).contains(&wait), "{wait}");
        assert_eq!(
            l.allow(Bucket::LoginByAccount, "acct", 10 + wait as i64),
            Ok(())
        );
    }
}
