//! How the end of a support period is shown: CRA Art. 13(19) asks for "at least
//! the month and the year", so every screen and report says it the same way.

const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// `support until: March 2031` for the end date `2031-03-31`; `None` for a value
/// that is not a real `YYYY-MM-DD` date (a hostile workbook's row is not shown
/// as "March abcd").
pub fn support_until(end: &str) -> Option<String> {
    let date = super::clock::parse_date("support_period_end", end).ok()?;
    let month: usize = date[5..7].parse().ok()?;
    let name = MONTHS.get(month.checked_sub(1)?)?;
    Some(format!("support until: {name} {}", &date[..4]))
}

#[cfg(test)]
mod tests {
    use super::support_until;

    #[test]
    fn month_and_year_of_the_end_date() {
        assert_eq!(
            support_until("2031-03-31").as_deref(),
            Some("support until: March 2031")
        );
        assert_eq!(
            support_until("2030-12-01").as_deref(),
            Some("support until: December 2030")
        );
        assert_eq!(support_until("2030-13-01"), None);
        assert_eq!(support_until("soon"), None);
        assert_eq!(support_until("abcd-03-01"), None);
        assert_eq!(support_until("2031-02-30"), None);
    }
}
