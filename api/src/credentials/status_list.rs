//! The revocation status list (W3C Bitstring Status List v1.0): one bit per
//! award, set when it is revoked. Each list holds [`LIST_BITS`] bits (the
//! spec's 16 KB minimum, for group privacy); an award's index picks its list
//! and its bit. The list is built from the awards at each read, so it is
//! up to date as soon as a revocation commits.

use std::io::Write;

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use entity::award;
use flate2::Compression;
use flate2::write::GzEncoder;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QuerySelect};

use crate::error::ApiError;

/// Bits per list: 16 KiB (131,072 entries), the spec's minimum.
pub const LIST_BITS: i32 = 16 * 1024 * 8;

/// The list (numbered from 1) and the bit of an award's status index.
pub fn place(status_index: i32) -> (i32, i32) {
    (status_index / LIST_BITS + 1, status_index % LIST_BITS)
}

/// The `encodedList` of a list whose set bits are `revoked`: GZIP, then
/// base64url without padding, behind the multibase prefix `u`. Bit 0 is the
/// most significant bit of the first byte.
pub fn encode(revoked: impl IntoIterator<Item = i32>) -> Result<String, ApiError> {
    let mut bits = vec![0u8; (LIST_BITS / 8) as usize];
    for bit in revoked {
        if let Some(byte) = usize::try_from(bit / 8).ok().and_then(|i| bits.get_mut(i)) {
            *byte |= 0x80 >> (bit % 8);
        }
    }
    let mut gzip = GzEncoder::new(Vec::new(), Compression::default());
    gzip.write_all(&bits).map_err(anyhow::Error::from)?;
    let compressed = gzip.finish().map_err(anyhow::Error::from)?;
    Ok(format!("u{}", URL_SAFE_NO_PAD.encode(compressed)))
}

/// The revoked bits of list `list`.
pub async fn revoked_bits(db: &impl ConnectionTrait, list: i32) -> Result<Vec<i32>, ApiError> {
    let first = (list - 1) * LIST_BITS;
    let indices: Vec<i32> = award::Entity::find()
        .select_only()
        .column(award::Column::StatusIndex)
        .filter(award::Column::RevokedAt.is_not_null())
        .filter(award::Column::StatusIndex.gte(first))
        .filter(award::Column::StatusIndex.lt(first + LIST_BITS))
        .into_tuple()
        .all(db)
        .await?;
    Ok(indices.into_iter().map(|index| place(index).1).collect())
}

/// Whether list `list` exists: the lists up to the one of the highest index.
pub async fn exists(db: &impl ConnectionTrait, list: i32) -> Result<bool, ApiError> {
    let last: Option<Option<i32>> = award::Entity::find()
        .select_only()
        .column_as(award::Column::StatusIndex.max(), "last")
        .into_tuple()
        .one(db)
        .await?;
    Ok(list >= 1 && list <= last.flatten().map_or(1, |last| place(last).0))
}

#[cfg(test)]
mod tests {
    use std::io::Read;

    use flate2::read::GzDecoder;

    use super::*;

    fn decode(encoded: &str) -> Vec<u8> {
        let compressed = URL_SAFE_NO_PAD.decode(encoded.strip_prefix('u').unwrap()).unwrap();
        let mut bits = Vec::new();
        GzDecoder::new(compressed.as_slice()).read_to_end(&mut bits).unwrap();
        bits
    }

    #[test]
    fn the_list_is_16_kib_with_bit_zero_leftmost() {
        let bits = decode(&encode([0, 9, LIST_BITS - 1]).unwrap());
        assert_eq!(bits.len(), 16 * 1024);
        assert_eq!(bits[0], 0b1000_0000);
        assert_eq!(bits[1], 0b0100_0000);
        assert_eq!(bits[bits.len() - 1], 0b0000_0001);
        assert_eq!(bits.iter().map(|b| b.count_ones()).sum::<u32>(), 3);
    }

    #[test]
    fn indices_fill_one_list_then_the_next() {
        assert_eq!(place(0), (1, 0));
        assert_eq!(place(LIST_BITS - 1), (1, LIST_BITS - 1));
        assert_eq!(place(LIST_BITS), (2, 0));
    }
}
