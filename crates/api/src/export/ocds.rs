//! Group purchases as Open Contracting Data Standard (OCDS 1.1) releases, in a release package.
//!
//! A group purchase is a joint procurement: its organiser is the buyer and procuring entity,
//! the cities taking part (but those that withdrew) are buyers too, and once awarded its
//! supplier is the award's supplier and the contract's. Each group purchase is one contracting
//! process, whose `ocid` is `OCID_PREFIX` followed by `-group-purchase-` and the record's
//! number; the export gives its latest release (one per purchase, `id` its version), tagged by
//! the stage its status stands at. Enrolment (`tender_start`, `tender_end`) is the tender
//! period; the contract period is the contract's and the award's.

use chrono::{NaiveDate, NaiveTime, SecondsFormat};
use domain::Id;
use domain::city::City;
use domain::group_purchase::{Eligibility, GroupPurchase, ParticipationStatus, Status};
use domain::organisation::Organisation;
use domain::source::RecordType;
use persistence::Db;
use serde_json::{Value, json};

use super::table::Names;
use crate::schema::record::global_id;

/// The prefix of every `ocid` the directory publishes. OCDS asks publishers to register theirs
/// with the Open Contracting Partnership; this one is not registered, and a deployment that
/// publishes to an OCDS registry changes it to its own.
pub const OCID_PREFIX: &str = "ocds-pdmi00";

/// The OCDS version the packages follow.
pub const VERSION: &str = "1.1";

/// Who publishes the packages.
pub const PUBLISHER: &str = "Partner network directory for municipal innovation";

/// The head of a release package, up to the opening of its `releases`: `uri` names the
/// package, `published` is when its contents last changed (RFC 3339), so that the same
/// contents give the same bytes.
pub fn package_head(uri: &str, published: &str) -> String {
    let head = json!({
        "uri": uri,
        "version": VERSION,
        "publishedDate": published,
        "publisher": { "name": PUBLISHER },
    });
    let text = head.to_string();
    // `{…}` without its closing brace, then the releases.
    format!("{},\"releases\":[", &text[..text.len() - 1])
}

/// The end of a release package.
pub const PACKAGE_TAIL: &str = "]}\n";

/// Reads what the releases of `page` name: each purchase's participations and the names of
/// the cities and organisations that are its parties.
pub async fn read_parties(
    names: &mut Names,
    db: &Db,
    page: &[GroupPurchase],
    organisations: Vec<Id>,
) -> Result<(), persistence::Error> {
    let ids: Vec<Id> = page.iter().map(|g| g.id).collect();
    names.participations =
        persistence::by_parent::participations_in_group_purchases(db, &ids).await?;
    let cities: Vec<Id> = names
        .participations
        .values()
        .flatten()
        .map(|p| p.city_id)
        .collect();
    names
        .read_names::<City>(db, RecordType::City, cities)
        .await?;
    names
        .read_names::<Organisation>(db, RecordType::Organisation, organisations)
        .await
}

/// The `ocid` of a group purchase's contracting process.
pub fn ocid(group_purchase_id: Id) -> String {
    format!("{OCID_PREFIX}-group-purchase-{group_purchase_id}")
}

/// A group purchase's latest release.
pub fn release(purchase: &GroupPurchase, names: &Names) -> Value {
    let ocid = ocid(purchase.id);
    let local = format!("group-purchase-{}", purchase.id);
    let (tags, tender_status) = stage(purchase.status);
    let organiser = party_reference(names, RecordType::Organisation, purchase.organiser_id);
    let mut parties = Parties::default();
    parties.add(organiser.clone(), &["buyer", "procuringEntity"]);
    for participation in names
        .participations
        .get(&purchase.id)
        .into_iter()
        .flatten()
        .filter(|p| p.status != ParticipationStatus::Withdrawn)
    {
        parties.add(
            party_reference(names, RecordType::City, participation.city_id),
            &["buyer"],
        );
    }
    let mut tender = json!({
        "id": local,
        "title": purchase.title,
        "status": tender_status,
        "procuringEntity": organiser,
    });
    put(&mut tender, "description", purchase.description.clone());
    put(
        &mut tender,
        "tenderPeriod",
        period(purchase.tender_start, purchase.tender_end),
    );
    if let Some(amount) = purchase.estimated_value {
        tender["value"] = json!({ "amount": amount, "currency": purchase.currency });
    }
    put(
        &mut tender,
        "eligibilityCriteria",
        purchase.eligibility.map(|eligibility| match eligibility {
            Eligibility::MembersOfOrganiser => "Members of the organiser only",
            Eligibility::Anyone => "Any city",
        }),
    );
    let mut release = json!({
        "ocid": ocid,
        "id": format!("{local}-v{}", purchase.stamp.version),
        "date": purchase.stamp.updated_at.to_rfc3339_opts(SecondsFormat::Secs, true),
        "tag": tags,
        "initiationType": "tender",
        "buyer": party_reference(names, RecordType::Organisation, purchase.organiser_id),
        "tender": tender,
    });
    if let Some(supplier_id) = purchase.supplier_id {
        let supplier = party_reference(names, RecordType::Organisation, supplier_id);
        parties.add(supplier.clone(), &["supplier"]);
        let contract_period = period(purchase.contract_start, purchase.contract_end);
        let award_id = format!("{local}-award");
        let mut award = json!({
            "id": award_id,
            "status": if purchase.status == Status::Cancelled { "cancelled" } else { "active" },
            "suppliers": [supplier],
        });
        put(&mut award, "contractPeriod", contract_period.clone());
        release["awards"] = json!([award]);
        if let Some(contract_status) = contract_status(purchase.status) {
            let mut contract = json!({
                "id": format!("{local}-contract"),
                "awardID": award_id,
                "status": contract_status,
            });
            put(&mut contract, "period", contract_period);
            release["contracts"] = json!([contract]);
        }
    }
    release["parties"] = parties.into_json();
    release
}

/// The release's tags and the tender's status for a group purchase's status (OCDS's closed
/// `releaseTag` and `tenderStatus` codelists).
fn stage(status: Status) -> (Vec<&'static str>, &'static str) {
    match status {
        Status::Proposed => (vec!["planning"], "planning"),
        Status::Planned => (vec!["planning"], "planned"),
        // Closed: enrolment is over, the award is still to come.
        Status::Open | Status::Closed => (vec!["tender"], "active"),
        Status::Awarded => (vec!["award", "contract"], "complete"),
        Status::Completed => (vec!["contractTermination"], "complete"),
        Status::Cancelled => (vec!["tenderCancellation"], "cancelled"),
    }
}

/// The contract's status (OCDS's `contractStatus`), once there is a contract.
fn contract_status(status: Status) -> Option<&'static str> {
    match status {
        Status::Awarded => Some("active"),
        Status::Completed => Some("terminated"),
        Status::Cancelled => Some("cancelled"),
        Status::Proposed | Status::Planned | Status::Open | Status::Closed => None,
    }
}

/// A period from the start of its first day to the end of its last, in UTC.
fn period(start: Option<NaiveDate>, end: Option<NaiveDate>) -> Option<Value> {
    if start.is_none() && end.is_none() {
        return None;
    }
    let at = |day: NaiveDate, time: NaiveTime| {
        day.and_time(time)
            .and_utc()
            .to_rfc3339_opts(SecondsFormat::Secs, true)
    };
    let mut period = json!({});
    if let Some(start) = start {
        period["startDate"] = at(start, NaiveTime::MIN).into();
    }
    if let Some(end) = end {
        let last_second = NaiveTime::from_hms_opt(23, 59, 59).unwrap_or(NaiveTime::MIN);
        period["endDate"] = at(end, last_second).into();
    }
    Some(period)
}

/// An OCDS organization reference: the record's global id and its name.
fn party_reference(names: &Names, record_type: RecordType, id: Id) -> Value {
    let mut reference = json!({ "id": global_id(record_type, id).0 });
    put(&mut reference, "name", names.name(record_type, id));
    reference
}

/// Sets `key` when there is a value: OCDS leaves unknown fields out rather than null.
fn put(object: &mut Value, key: &str, value: Option<impl Into<Value>>) {
    if let Some(value) = value {
        object[key] = value.into();
    }
}

/// The release's parties, each once with all its roles.
#[derive(Default)]
struct Parties(Vec<(Value, Vec<&'static str>)>);

impl Parties {
    fn add(&mut self, reference: Value, roles: &[&'static str]) {
        match self
            .0
            .iter_mut()
            .find(|(known, _)| known["id"] == reference["id"])
        {
            Some((_, known_roles)) => {
                for role in roles {
                    if !known_roles.contains(role) {
                        known_roles.push(role);
                    }
                }
            }
            None => self.0.push((reference, roles.to_vec())),
        }
    }

    fn into_json(self) -> Value {
        Value::Array(
            self.0
                .into_iter()
                .map(|(mut reference, roles)| {
                    reference["roles"] = json!(roles);
                    reference
                })
                .collect(),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_package_head_opens_its_releases() {
        let text = format!(
            "{}{}",
            package_head("urn:x", "2026-01-01T00:00:00Z"),
            PACKAGE_TAIL
        );
        let package: Value = serde_json::from_str(&text).expect("JSON");
        assert_eq!(package["releases"], json!([]));
        assert_eq!(package["version"], "1.1");
    }

    #[test]
    fn a_period_runs_from_the_first_second_of_its_first_day_to_the_last_of_its_last() {
        let day = |d| NaiveDate::from_ymd_opt(2026, 5, d).unwrap();
        assert_eq!(
            period(Some(day(1)), Some(day(31))),
            Some(json!({ "startDate": "2026-05-01T00:00:00Z", "endDate": "2026-05-31T23:59:59Z" }))
        );
        assert_eq!(period(None, None), None);
    }
}
