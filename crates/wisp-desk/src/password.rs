//! The generate-password helper: uniform characters from the OS CSPRNG.

use rand::rngs::OsRng;
use rand::seq::SliceRandom;
use zeroize::Zeroizing;

use crate::DeskError;

const LETTERS_DIGITS: &[u8] = b"ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";
const SYMBOLS: &[u8] = b"!#$%&*+-=?@^_~";

/// A random password of `length` (8..=128) characters without look-alikes (0/O, 1/l/I);
/// with `symbols`, punctuation too. Each class the password uses appears at least once.
pub fn generate_password(length: usize, symbols: bool) -> Result<Zeroizing<String>, DeskError> {
    if !(8..=128).contains(&length) {
        return Err(
            DeskError::invalid("A generated password must be 8 to 128 characters long.")
                .keyed("error.passwordLength"),
        );
    }
    let mut alphabet = LETTERS_DIGITS.to_vec();
    if symbols {
        alphabet.extend_from_slice(SYMBOLS);
    }
    let mut rng = OsRng;
    loop {
        let password: Zeroizing<Vec<u8>> = Zeroizing::new(
            (0..length)
                .map(|_| *alphabet.choose(&mut rng).unwrap_or(&b'x'))
                .collect(),
        );
        let has = |f: fn(&u8) -> bool| password.iter().any(f);
        let complete = has(u8::is_ascii_uppercase)
            && has(u8::is_ascii_lowercase)
            && has(u8::is_ascii_digit)
            && (!symbols || has(|c| SYMBOLS.contains(c)));
        if complete {
            return Ok(Zeroizing::new(
                password.iter().map(|&c| char::from(c)).collect(),
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn length_classes_and_bounds() {
        for _ in 0..200 {
            let p = generate_password(12, true).expect("ok");
            assert_eq!(p.len(), 12);
            assert!(p.chars().any(|c| SYMBOLS.contains(&(c as u8))));
            assert!(!p.contains(['0', 'O', 'l', '1', 'I']));
        }
        let p = generate_password(8, false).expect("ok");
        assert!(p.chars().all(|c| c.is_ascii_alphanumeric()));
        assert!(generate_password(7, false).is_err());
        assert!(generate_password(129, false).is_err());
        assert_ne!(
            *generate_password(32, true).expect("a"),
            *generate_password(32, true).expect("b")
        );
    }
}
