//! Shamir's secret sharing over GF(2^8), in the share layout of the audited npm package
//! `shamir-secret-sharing` (and HashiCorp Vault): each share is `y-bytes ‖ x`.
//!
//! The field is GF(2^8) with the AES polynomial x^8 + x^4 + x^3 + x + 1. Arithmetic is
//! table-free and branch-free on secret data: multiplication is shift-and-add with masks,
//! the inverse is a^254. Polynomial coefficients are uniformly random bytes; x-coordinates
//! are distinct, non-zero and randomly chosen.

use rand::seq::SliceRandom;
use rand::{CryptoRng, RngCore};
use zeroize::Zeroizing;

use crate::error::{Error, Result};

/// Multiplies in GF(2^8) mod 0x11B without branches or tables.
fn gf_mul(mut a: u8, mut b: u8) -> u8 {
    let mut product = 0u8;
    for _ in 0..8 {
        // mask = 0xFF when the low bit of b is set, else 0x00.
        product ^= a & (b & 1).wrapping_neg();
        let carry = (a >> 7).wrapping_neg();
        a = (a << 1) ^ (0x1B & carry);
        b >>= 1;
    }
    product
}

/// Inverse as a^254 (0 maps to 0, which callers never divide by).
fn gf_inv(a: u8) -> u8 {
    // a^254 = a^(2+4+8+16+32+64+128)
    let mut result = 1u8;
    let mut square = a;
    for _ in 0..7 {
        square = gf_mul(square, square);
        result = gf_mul(result, square);
    }
    result
}

/// Splits `secret` into `n` shares, any `k` of which recover it. `2 ≤ k ≤ n ≤ 255`.
pub fn split<G: RngCore + CryptoRng>(
    secret: &[u8],
    k: u8,
    n: u8,
    rng: &mut G,
) -> Result<Vec<Zeroizing<Vec<u8>>>> {
    if k < 2 || n < k {
        return Err(Error::InvalidSplit { k, n });
    }
    let mut xs: Vec<u8> = (1..=255).collect();
    xs.shuffle(rng);
    xs.truncate(n as usize);

    let mut shares: Vec<Zeroizing<Vec<u8>>> = xs
        .iter()
        .map(|&x| {
            let mut share = Zeroizing::new(vec![0u8; secret.len() + 1]);
            share[secret.len()] = x;
            share
        })
        .collect();
    // Coefficients for one byte position at a time: [secret byte, random…].
    let mut coeffs = Zeroizing::new(vec![0u8; k as usize]);
    for (pos, &byte) in secret.iter().enumerate() {
        coeffs[0] = byte;
        rng.fill_bytes(&mut coeffs[1..]);
        for share in shares.iter_mut() {
            let x = share[secret.len()];
            // Horner's rule from the highest coefficient down.
            let mut y = 0u8;
            for &c in coeffs.iter().rev() {
                y = gf_mul(y, x) ^ c;
            }
            share[pos] = y;
        }
    }
    Ok(shares)
}

/// Recombines shares (each `y-bytes ‖ x`) by Lagrange interpolation at zero.
///
/// Checks what can be checked: equal lengths, non-zero and distinct x-coordinates. A wrong
/// combination of well-formed shares yields a wrong secret; the caller's AEAD decides.
pub fn combine(shares: &[&[u8]]) -> Result<Zeroizing<Vec<u8>>> {
    let first = shares
        .first()
        .ok_or(Error::NotEnoughParts { needed: 2, have: 0 })?;
    if shares.len() < 2 {
        return Err(Error::NotEnoughParts { needed: 2, have: 1 });
    }
    let len = first.len();
    if len < 2 {
        return Err(Error::InvalidPart("share too short"));
    }
    let mut xs = Vec::with_capacity(shares.len());
    for share in shares {
        if share.len() != len {
            return Err(Error::PartsMismatch);
        }
        let x = share[len - 1];
        if x == 0 {
            return Err(Error::InvalidPart("share has x-coordinate 0"));
        }
        if xs.contains(&x) {
            return Err(Error::DuplicatePart(x));
        }
        xs.push(x);
    }
    // Lagrange basis at 0: l_i = Π_{j≠i} x_j / (x_j − x_i); subtraction is XOR.
    let basis: Vec<u8> = xs
        .iter()
        .enumerate()
        .map(|(i, &xi)| {
            xs.iter()
                .enumerate()
                .filter(|&(j, _)| j != i)
                .fold(1u8, |acc, (_, &xj)| {
                    gf_mul(acc, gf_mul(xj, gf_inv(xj ^ xi)))
                })
        })
        .collect();
    let mut secret = Zeroizing::new(vec![0u8; len - 1]);
    for (pos, out) in secret.iter_mut().enumerate() {
        *out = shares
            .iter()
            .zip(&basis)
            .fold(0u8, |acc, (share, &l)| acc ^ gf_mul(share[pos], l));
    }
    Ok(secret)
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::rngs::OsRng;

    #[test]
    fn field_matches_aes() {
        // FIPS-197 §4.2: {57} • {83} = {c1}.
        assert_eq!(gf_mul(0x57, 0x83), 0xC1);
        for a in 1..=255u8 {
            assert_eq!(gf_mul(a, gf_inv(a)), 1, "inverse of {a}");
        }
        assert_eq!(gf_inv(0), 0);
    }

    #[test]
    fn any_k_of_n_recover() {
        let secret = [42u8; 32];
        let shares = split(&secret, 3, 5, &mut OsRng).expect("split");
        for a in 0..5 {
            for b in (a + 1)..5 {
                for c in (b + 1)..5 {
                    let picked = [&shares[a][..], &shares[b][..], &shares[c][..]];
                    assert_eq!(&combine(&picked).expect("combine")[..], &secret);
                }
            }
        }
        // Two of a 3-of-5 give something else (with overwhelming probability).
        let two = combine(&[&shares[0][..], &shares[1][..]]).expect("combine");
        assert_ne!(&two[..], &secret);
    }

    #[test]
    fn malformed_sets_are_refused() {
        let shares = split(&[1u8; 32], 2, 3, &mut OsRng).expect("split");
        assert!(matches!(
            combine(&[&shares[0][..], &shares[0][..]]),
            Err(Error::DuplicatePart(_))
        ));
        assert!(matches!(
            combine(&[&shares[0][..]]),
            Err(Error::NotEnoughParts { .. })
        ));
        assert!(matches!(
            combine(&[&shares[0][..], &shares[1][..10]]),
            Err(Error::PartsMismatch)
        ));
        assert!(matches!(
            split(&[1], 1, 3, &mut OsRng),
            Err(Error::InvalidSplit { .. })
        ));
        assert!(matches!(
            split(&[1], 4, 3, &mut OsRng),
            Err(Error::InvalidSplit { .. })
        ));
    }
}
