//! The dashboard and product pages, products and their assessments.

use canary::workbook::{
    Assessment, DashboardRow, Outstanding, Product, ProductInput, ProductPage, SignInput,
    Transition, FIRST_ASSESSMENT_LABEL,
};
use serde::Deserialize;
use tauri::State;
use ts_rs::TS;

use crate::error::IpcResult;
use crate::state::AppState;

/// A product to add with the frameworks its first assessment covers.
#[derive(Debug, Clone, Deserialize, TS)]
pub struct NewProduct {
    pub product: ProductInput,
    /// Framework ids; empty means the store's default (UK CoP).
    pub frameworks: Vec<String>,
}

#[tauri::command]
pub fn dashboard(state: State<'_, AppState>) -> IpcResult<Vec<DashboardRow>> {
    state.with_workbook(|wb| Ok(wb.dashboard(&state.catalogue)?))
}

/// Adds the product and opens its first assessment, so it can be worked on at
/// once; both are stored or neither.
#[tauri::command]
pub fn add_product(state: State<'_, AppState>, input: NewProduct) -> IpcResult<Product> {
    state.with_workbook(|wb| {
        let (product, _) = wb.add_product_with_assessment(
            &state.catalogue,
            &input.product,
            FIRST_ASSESSMENT_LABEL,
            &input.frameworks,
        )?;
        Ok(product)
    })
}

#[tauri::command]
pub fn update_product(
    state: State<'_, AppState>,
    id: i64,
    input: ProductInput,
) -> IpcResult<Product> {
    state.with_workbook(|wb| Ok(wb.update_product(id, &input)?))
}

/// A product's page; the latest assessment unless `assessment` names another.
#[tauri::command]
pub fn product_page(
    state: State<'_, AppState>,
    product: i64,
    assessment: Option<i64>,
) -> IpcResult<ProductPage> {
    state.with_workbook(|wb| Ok(wb.product_page(&state.catalogue, product, assessment)?))
}

/// Moves an assessment through review: `submit`, `start_review`, `approve`, `request_changes`.
#[tauri::command]
pub fn transition(
    state: State<'_, AppState>,
    assessment: i64,
    transition: Transition,
) -> IpcResult<Assessment> {
    state.with_workbook(|wb| Ok(wb.transition(&state.catalogue, assessment, transition)?))
}

/// Approves an assessment in review; with `despite`, also when answers are
/// outstanding (the reason is recorded and printed on every report).
#[tauri::command]
pub fn approve(
    state: State<'_, AppState>,
    assessment: i64,
    despite: Option<String>,
) -> IpcResult<Assessment> {
    state.with_workbook(|wb| Ok(wb.approve(&state.catalogue, assessment, despite.as_deref())?))
}

/// What stands in the way of approving `assessment` (empty: it can be approved).
#[tauri::command]
pub fn outstanding(state: State<'_, AppState>, assessment: i64) -> IpcResult<Vec<Outstanding>> {
    state.with_workbook(|wb| Ok(wb.outstanding(&state.catalogue, assessment)?))
}

/// Adds and removes frameworks of a draft assessment.
#[tauri::command]
pub fn change_frameworks(
    state: State<'_, AppState>,
    assessment: i64,
    add: Vec<String>,
    remove: Vec<String>,
) -> IpcResult<Assessment> {
    state.with_workbook(|wb| {
        Ok(wb.change_frameworks(&state.catalogue, assessment, &add, &remove)?)
    })
}

/// A new draft copying the responses and evidence of `assessment` (e.g. for a new release).
#[tauri::command]
pub fn clone_assessment(
    state: State<'_, AppState>,
    assessment: i64,
    label: String,
) -> IpcResult<Assessment> {
    state.with_workbook(|wb| Ok(wb.clone_assessment(assessment, &label)?))
}

/// Signs an approved assessment (the PSTI statement needs the signatory); it is
/// locked from then on.
#[tauri::command]
pub fn sign_assessment(
    state: State<'_, AppState>,
    assessment: i64,
    input: SignInput,
) -> IpcResult<Assessment> {
    state.with_workbook(|wb| Ok(wb.sign(assessment, &input)?))
}
