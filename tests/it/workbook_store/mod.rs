//! The workbook store on real SQLite files, by topic. Fixtures are in
//! `support::store`.

mod evidence;
mod lookup;
mod one_rule;
mod opening;
mod rules;
mod trail;
