//! What the directory tells a city about itself: its peers, and what it may join.

use async_graphql::futures_util::future::try_join_all;
use async_graphql::{Context, Object, Result};

use crate::loader::ById;
use crate::schema::city::City;
use crate::schema::enums::{OpeningKind, RefusalCode};
use crate::schema::group_purchase::GroupPurchase;
use crate::schema::load_one;
use crate::schema::organisation::Organisation;
use crate::schema::partnership::Partnership;
use crate::schema::programme::{Edition, Programme};
use crate::schema::theme::Theme;
use persistence::joining::OpeningId;

/// A city like another: of similar size, sharing its memberships and themes.
pub struct Peer(pub domain::peers::Peer);

/// A city like another: of similar size, sharing its memberships and themes.
#[Object]
impl Peer {
    /// The peer city.
    async fn city(&self, ctx: &Context<'_>) -> Result<Option<City>> {
        Ok(load_one(ctx, Some(ById::new(self.0.city_id)))
            .await?
            .map(City))
    }

    /// How alike the two cities are: 2 points per organisation both are members of, 3 per
    /// theme both work on, and up to 4 for their size (the smaller population over the
    /// larger), rounded to 2 decimals (`26.33`).
    async fn score(&self) -> f64 {
        (self.0.score * 100.0).round() / 100.0
    }

    /// The organisations both cities are members of.
    async fn shared_memberships(&self, ctx: &Context<'_>) -> Result<Vec<Organisation>> {
        let loaded = try_join_all(
            self.0
                .shared_organisations
                .iter()
                .map(|id| load_one(ctx, Some(ById::new(*id)))),
        )
        .await?;
        Ok(loaded.into_iter().flatten().map(Organisation).collect())
    }

    /// The themes both cities work on, through their initiatives, partnerships, programmes
    /// and group purchases.
    async fn shared_themes(&self, ctx: &Context<'_>) -> Result<Vec<Theme>> {
        let loaded = try_join_all(
            self.0
                .shared_themes
                .iter()
                .map(|id| load_one(ctx, Some(ById::new(*id)))),
        )
        .await?;
        Ok(loaded.into_iter().flatten().map(Theme).collect())
    }

    /// The smaller population over the larger (1 for the same size); null when either is
    /// unknown.
    async fn population_ratio(&self) -> Option<f64> {
        self.0.population_ratio
    }

    /// Why the city is a peer, in words: one line per shared membership, theme and size.
    async fn reasons(&self, ctx: &Context<'_>) -> Result<Vec<String>> {
        let mut reasons = Vec::new();
        for organisation in self.shared_memberships(ctx).await? {
            reasons.push(format!("Both are members of {}", organisation.0.name));
        }
        for theme in self.shared_themes(ctx).await? {
            reasons.push(format!("Both work on {}", theme.0.label_en));
        }
        if let Some(ratio) = self.0.population_ratio {
            reasons.push(format!(
                "Similar size: the smaller population is {:.0} % of the larger",
                ratio * 100.0
            ));
        }
        Ok(reasons)
    }
}

/// A group purchase, programme call or partnership, and whether the city may join it on the
/// day asked — by the same rules as the join itself.
pub struct JoinableOpening(pub persistence::joining::JoinVerdict);

/// A group purchase, programme call or partnership, and whether the city may join it on the
/// day asked — by the same rules as the join itself.
#[Object]
impl JoinableOpening {
    /// What it is.
    async fn kind(&self) -> OpeningKind {
        match self.0.opening {
            OpeningId::GroupPurchase(_) => OpeningKind::GroupPurchase,
            OpeningId::Edition(_) => OpeningKind::ProgrammeCall,
            OpeningId::Partnership(_) => OpeningKind::Partnership,
        }
    }

    /// The group purchase, for a group purchase.
    async fn group_purchase(&self, ctx: &Context<'_>) -> Result<Option<GroupPurchase>> {
        let id = match self.0.opening {
            OpeningId::GroupPurchase(id) => Some(id),
            _ => None,
        };
        Ok(load_one(ctx, id.map(ById::new)).await?.map(GroupPurchase))
    }

    /// The edition whose call it is, for a programme call.
    async fn edition(&self, ctx: &Context<'_>) -> Result<Option<Edition>> {
        let id = match self.0.opening {
            OpeningId::Edition(id) => Some(id),
            _ => None,
        };
        Ok(load_one(ctx, id.map(ById::new)).await?.map(Edition))
    }

    /// The programme, for a programme call.
    async fn programme(&self, ctx: &Context<'_>) -> Result<Option<Programme>> {
        let Some(edition) = self.edition(ctx).await? else {
            return Ok(None);
        };
        Ok(load_one(ctx, Some(ById::new(edition.0.programme_id)))
            .await?
            .map(Programme))
    }

    /// The partnership, for a partnership.
    async fn partnership(&self, ctx: &Context<'_>) -> Result<Option<Partnership>> {
        let id = match self.0.opening {
            OpeningId::Partnership(id) => Some(id),
            _ => None,
        };
        Ok(load_one(ctx, id.map(ById::new)).await?.map(Partnership))
    }

    /// Whether the city may join on that day.
    async fn can_join(&self) -> bool {
        self.0.refusal.is_none()
    }

    /// Why it may not, in words ("enrolment closed on 2024-03-31"); null when it may.
    async fn reason(&self) -> Option<String> {
        self.0.refusal.as_ref().map(ToString::to_string)
    }

    /// Why it may not, as a code; null when it may.
    async fn reason_code(&self) -> Option<RefusalCode> {
        self.0.refusal.as_ref().map(|r| r.code().into())
    }
}
