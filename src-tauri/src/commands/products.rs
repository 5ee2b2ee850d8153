//! The dashboard and product pages, products and their assessments.

use canary::workbook::{
    Assessment, DashboardRow, Outstanding, Product, ProductInput, ProductPage, SignInput,
    Transition, FIRST_ASSESSMENT_LABEL,
};
use serde::Deserialize;
use tauri::State;
use ts_rs::TS;

use crate::args::Args;
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

#[derive(Debug, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct AddProductArgs {
    pub input: NewProduct,
}

/// Adds the product and opens its first assessment, so it can be worked on at
/// once; both are stored or neither.
#[tauri::command]
pub fn add_product(state: State<'_, AppState>, args: Args<AddProductArgs>) -> IpcResult<Product> {
    let AddProductArgs { input } = args.0;
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

#[derive(Debug, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct UpdateProductArgs {
    pub id: i64,
    pub input: ProductInput,
}

#[tauri::command]
pub fn update_product(
    state: State<'_, AppState>,
    args: Args<UpdateProductArgs>,
) -> IpcResult<Product> {
    let UpdateProductArgs { id, input } = args.0;
    state.with_workbook(|wb| Ok(wb.update_product(&state.catalogue, id, &input)?))
}

#[derive(Debug, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ProductPageArgs {
    pub product: i64,
    #[ts(optional = nullable)]
    pub assessment: Option<i64>,
}

/// A product's page; the latest assessment unless `assessment` names another.
#[tauri::command]
pub fn product_page(
    state: State<'_, AppState>,
    args: Args<ProductPageArgs>,
) -> IpcResult<ProductPage> {
    let ProductPageArgs {
        product,
        assessment,
    } = args.0;
    state.with_workbook(|wb| Ok(wb.product_page(&state.catalogue, product, assessment)?))
}

#[derive(Debug, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct TransitionArgs {
    pub assessment: i64,
    pub transition: Transition,
    /// Unlocks the person's signing key for this act (see `AppState::act`); never kept.
    #[ts(optional = nullable)]
    pub passphrase: Option<String>,
}

/// Moves an assessment through review: `submit`, `start_review`, `approve`, `request_changes`.
#[tauri::command]
pub fn transition(state: State<'_, AppState>, args: Args<TransitionArgs>) -> IpcResult<Assessment> {
    let TransitionArgs {
        assessment,
        transition,
        passphrase,
    } = args.0;
    state.act(passphrase, |wb| {
        Ok(wb.transition(&state.catalogue, assessment, transition)?)
    })
}

#[derive(Debug, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ApproveArgs {
    pub assessment: i64,
    #[ts(optional = nullable)]
    pub despite: Option<String>,
    /// Unlocks the person's signing key for this act (see `AppState::act`); never kept.
    #[ts(optional = nullable)]
    pub passphrase: Option<String>,
}

/// Approves an assessment in review; with `despite`, also when answers are
/// outstanding (the reason is recorded and printed on every report).
#[tauri::command]
pub fn approve(state: State<'_, AppState>, args: Args<ApproveArgs>) -> IpcResult<Assessment> {
    let ApproveArgs {
        assessment,
        despite,
        passphrase,
    } = args.0;
    state.act(passphrase, |wb| {
        Ok(wb.approve(&state.catalogue, assessment, despite.as_deref())?)
    })
}

#[derive(Debug, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct OutstandingArgs {
    pub assessment: i64,
}

/// What stands in the way of approving `assessment` (empty: it can be approved).
#[tauri::command]
pub fn outstanding(
    state: State<'_, AppState>,
    args: Args<OutstandingArgs>,
) -> IpcResult<Vec<Outstanding>> {
    let OutstandingArgs { assessment } = args.0;
    state.with_workbook(|wb| Ok(wb.outstanding(&state.catalogue, assessment)?))
}

#[derive(Debug, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ChangeFrameworksArgs {
    pub assessment: i64,
    pub add: Vec<String>,
    pub remove: Vec<String>,
}

/// Adds and removes frameworks of a draft assessment.
#[tauri::command]
pub fn change_frameworks(
    state: State<'_, AppState>,
    args: Args<ChangeFrameworksArgs>,
) -> IpcResult<Assessment> {
    let ChangeFrameworksArgs {
        assessment,
        add,
        remove,
    } = args.0;
    state.with_workbook(|wb| {
        Ok(wb.change_frameworks(&state.catalogue, assessment, &add, &remove)?)
    })
}

#[derive(Debug, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct CloneAssessmentArgs {
    pub assessment: i64,
    pub label: String,
    /// Unlocks the person's signing key for this act (see `AppState::act`); never kept.
    #[ts(optional = nullable)]
    pub passphrase: Option<String>,
}

/// A new draft copying the responses and evidence of `assessment` (e.g. for a new release).
#[tauri::command]
pub fn clone_assessment(
    state: State<'_, AppState>,
    args: Args<CloneAssessmentArgs>,
) -> IpcResult<Assessment> {
    let CloneAssessmentArgs {
        assessment,
        label,
        passphrase,
    } = args.0;
    state.act(
        passphrase,
        |wb| Ok(wb.clone_assessment(assessment, &label)?),
    )
}

#[derive(Debug, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct SignAssessmentArgs {
    pub assessment: i64,
    pub input: SignInput,
    /// Unlocks the person's signing key for this act (see `AppState::act`); never kept.
    #[ts(optional = nullable)]
    pub passphrase: Option<String>,
}

/// Signs an approved assessment (the PSTI statement needs the signatory); it is
/// locked from then on.
#[tauri::command]
pub fn sign_assessment(
    state: State<'_, AppState>,
    args: Args<SignAssessmentArgs>,
) -> IpcResult<Assessment> {
    let SignAssessmentArgs {
        assessment,
        input,
        passphrase,
    } = args.0;
    state.act(passphrase, |wb| Ok(wb.sign(assessment, &input)?))
}
