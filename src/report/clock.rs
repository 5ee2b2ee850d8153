//! Report time: `SOURCE_DATE_EPOCH` when set (reproducible builds), else now.

use std::time::{SystemTime, UNIX_EPOCH};

use super::ReportError;

/// Seconds since the Unix epoch that every date and id in a report derives from.
pub fn report_time() -> Result<i64, ReportError> {
    match std::env::var("SOURCE_DATE_EPOCH") {
        Ok(v) => v.trim().parse().map_err(|_| ReportError::BadEpoch(v)),
        Err(_) => Ok(SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| d.as_secs() as i64)),
    }
}

/// (year, month, day, hour, minute, second) in UTC.
pub(crate) fn civil(unix: i64) -> (i32, u8, u8, u8, u8, u8) {
    let (year, month, day) = crate::workbook::civil_from_days(unix.div_euclid(86_400));
    let secs = unix.rem_euclid(86_400);
    (
        year as i32,
        month as u8,
        day as u8,
        (secs / 3600) as u8,
        (secs % 3600 / 60) as u8,
        (secs % 60) as u8,
    )
}

/// `YYYY-MM-DD` and `YYYY-MM-DDTHH:MM:SSZ`: the workbook's own forms.
pub(crate) use crate::workbook::{date_of as date, timestamp as datetime};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn civil_dates() {
        assert_eq!(datetime(0), "1970-01-01T00:00:00Z");
        assert_eq!(datetime(951_782_400), "2000-02-29T00:00:00Z");
        assert_eq!(datetime(1_700_000_000), "2023-11-14T22:13:20Z");
        assert_eq!(date(-86_400), "1969-12-31");
        assert_eq!(civil(1_700_000_000), (2023, 11, 14, 22, 13, 20));
    }
}
