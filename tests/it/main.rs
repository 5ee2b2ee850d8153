//! The core's integration tests, one binary (linking the library and its
//! dependencies once instead of once per file). Each topic is a module; add new
//! tests to the module of their topic, or a new `<topic>.rs` declared here.
//! Shared fixtures and the CLI harness live in `support`.

mod acts;
mod attack;
mod catalogue;
mod cli_output;
mod cra_doc;
mod diff;
mod exchange;
mod exchange_cli;
mod hostile;
mod oscal;
mod people;
mod product_edit;
mod props;
mod psti_amended;
mod readonly;
mod received;
mod report;
mod report_cli;
mod request;
mod review;
mod sheet;
mod signatures;
mod support;
mod workbook_cli;
mod workbook_crash;
mod workbook_store;
mod workbook_verify;
