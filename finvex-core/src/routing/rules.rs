//! Smart routing (pure): order facts + merchant rules + provider health →
//! an ordered provider list and the reason. The first rule that applies sets
//! the preference; healthy providers then always come before unhealthy ones,
//! so an unhealthy provider is never first while a healthy one exists.

use serde::{Deserialize, Serialize};

use crate::providers::ProviderName;
use crate::Error;

pub const MAX_RULES: usize = 20;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum MethodHint {
    Upi,
    Card,
    Netbanking,
    Wallet,
    Any,
}

/// A provider's price for a method: `percent_bps` (1 bp = 0.01 %) of the amount plus a fixed fee.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct FeeEntry {
    pub provider: ProviderName,
    pub method: MethodHint,
    pub percent_bps: u32,
    #[serde(default)]
    pub fixed_minor: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
pub enum RoutingRule {
    /// Orders at or above `min_amount` (minor units) prefer these providers.
    AmountThreshold {
        min_amount: i64,
        providers: Vec<ProviderName>,
    },
    /// Cheapest expected fee for the order's method first.
    LowestCost { fees: Vec<FeeEntry> },
    /// Highest recent success rate first (providers without data last).
    SuccessRate,
    /// Weighted split of volume; weights are percentages summing to 100.
    VolumeSplit { weights: Vec<(ProviderName, u32)> },
    /// A fixed order.
    Priority { providers: Vec<ProviderName> },
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RoutingConfig {
    pub rules: Vec<RoutingRule>,
}

impl RoutingConfig {
    /// Checks the invariants of each rule (splits sum to 100 %, lists non-empty, no duplicates).
    pub fn validate(&self) -> Result<(), Error> {
        if self.rules.len() > MAX_RULES {
            return Err(Error::validation(
                "rules",
                format!("at most {MAX_RULES} rules"),
            ));
        }
        for (i, rule) in self.rules.iter().enumerate() {
            let field = format!("rules[{i}]");
            let distinct = |list: &[ProviderName]| {
                let mut seen = list.to_vec();
                seen.sort();
                seen.dedup();
                seen.len() == list.len() && !list.is_empty()
            };
            match rule {
                RoutingRule::AmountThreshold {
                    min_amount,
                    providers,
                } if *min_amount <= 0 || !distinct(providers) => {
                    return Err(Error::validation(
                        field,
                        "amount_threshold needs a positive min_amount and distinct providers",
                    ));
                }
                RoutingRule::Priority { providers } if !distinct(providers) => {
                    return Err(Error::validation(
                        field,
                        "priority needs a non-empty list of distinct providers",
                    ));
                }
                RoutingRule::VolumeSplit { weights } => {
                    let names: Vec<ProviderName> = weights.iter().map(|w| w.0).collect();
                    let total: u32 = weights.iter().map(|w| w.1).sum();
                    if !distinct(&names) || total != 100 {
                        return Err(Error::validation(field, format!("volume_split weights must be distinct providers summing to 100 (got {total})")));
                    }
                }
                RoutingRule::LowestCost { fees }
                    if fees.is_empty()
                        || fees
                            .iter()
                            .any(|f| f.fixed_minor < 0 || f.percent_bps > 10_000) =>
                {
                    return Err(Error::validation(
                        field,
                        "lowest_cost needs fees with 0-10000 bps and non-negative fixed fees",
                    ));
                }
                _ => {}
            }
        }
        Ok(())
    }
}

/// What routing knows about one enabled provider right now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProviderFacts {
    pub name: ProviderName,
    pub available: bool,
    pub success_rate_bps: Option<u32>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RoutingInput {
    pub amount_minor: i64,
    pub method: MethodHint,
    /// Uniform in 0..100; picks the bucket of a volume split.
    pub split_draw: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RoutingDecision {
    /// Try in this order; the first is the chosen provider.
    pub providers: Vec<ProviderName>,
    pub reason: String,
}

fn expected_fee(
    fees: &[FeeEntry],
    provider: ProviderName,
    method: MethodHint,
    amount: i64,
) -> Option<i128> {
    fees.iter()
        .filter(|f| f.provider == provider && (f.method == method || f.method == MethodHint::Any))
        .map(|f| {
            i128::from(amount) * i128::from(f.percent_bps) / 10_000 + i128::from(f.fixed_minor)
        })
        .min()
}

/// Orders `facts` by the first applicable rule; see the module docs.
pub fn route(
    input: &RoutingInput,
    config: &RoutingConfig,
    facts: &[ProviderFacts],
) -> Result<RoutingDecision, Error> {
    if facts.is_empty() {
        return Err(Error::business(
            None,
            "no payment provider is configured for this merchant and mode",
        ));
    }
    let mut preferred: Vec<ProviderName> = facts.iter().map(|f| f.name).collect();
    let mut why = "default order".to_string();
    if let Some((order, reason)) = config
        .rules
        .iter()
        .find_map(|rule| rank(rule, input, facts))
    {
        let mut rest: Vec<ProviderName> = preferred
            .iter()
            .copied()
            .filter(|p| !order.contains(p))
            .collect();
        preferred = order
            .into_iter()
            .filter(|p| facts.iter().any(|f| f.name == *p))
            .collect();
        preferred.append(&mut rest);
        why = reason;
    }
    Ok(healthy_first(preferred, facts, why))
}

/// The order one rule prefers and why, or `None` when it does not apply.
fn rank(
    rule: &RoutingRule,
    input: &RoutingInput,
    facts: &[ProviderFacts],
) -> Option<(Vec<ProviderName>, String)> {
    match rule {
        RoutingRule::AmountThreshold {
            min_amount,
            providers,
        } if input.amount_minor >= *min_amount => Some((
            providers.clone(),
            format!("amount at or above {min_amount}"),
        )),
        RoutingRule::AmountThreshold { .. } => None,
        RoutingRule::Priority { providers } => Some((providers.clone(), "priority".into())),
        RoutingRule::SuccessRate => {
            let mut by_rate: Vec<&ProviderFacts> = facts.iter().collect();
            by_rate.sort_by_key(|f| std::cmp::Reverse(f.success_rate_bps.map_or(-1, i64::from)));
            Some((
                by_rate.iter().map(|f| f.name).collect(),
                "highest recent success rate".into(),
            ))
        }
        RoutingRule::LowestCost { fees } => {
            let mut priced: Vec<(ProviderName, i128)> = facts
                .iter()
                .filter_map(|f| {
                    expected_fee(fees, f.name, input.method, input.amount_minor)
                        .map(|fee| (f.name, fee))
                })
                .collect();
            priced.sort_by_key(|p| p.1);
            (!priced.is_empty())
                .then(|| (priced.iter().map(|p| p.0).collect(), "lowest cost".into()))
        }
        RoutingRule::VolumeSplit { weights } => {
            let mut cumulative = 0;
            let bucket = weights.iter().find(|(_, w)| {
                cumulative += w;
                input.split_draw < cumulative
            });
            bucket.map(|(chosen, _)| {
                let mut order = vec![*chosen];
                order.extend(weights.iter().map(|w| w.0).filter(|p| p != chosen));
                (order, "volume split".to_string())
            })
        }
    }
}

/// Healthy providers first, keeping the preferred order within each group,
/// and the reason saying when health overrode the preference.
fn healthy_first(
    preferred: Vec<ProviderName>,
    facts: &[ProviderFacts],
    why: String,
) -> RoutingDecision {
    let available = |p: &ProviderName| facts.iter().any(|f| f.name == *p && f.available);
    let first_choice = preferred[0];
    let (mut healthy, unhealthy): (Vec<_>, Vec<_>) = preferred.into_iter().partition(available);
    let reason = match healthy.first() {
        Some(chosen) if *chosen != first_choice => format!(
            "{} circuit open; {why} falls back to {}",
            first_choice.as_str(),
            chosen.as_str()
        ),
        Some(_) => why,
        None => format!("every provider is unhealthy; trying in {why} order"),
    };
    healthy.extend(unhealthy);
    RoutingDecision {
        providers: healthy,
        reason,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use ProviderName::{Cashfree, Razorpay};

    fn facts(razorpay_ok: bool, cashfree_ok: bool) -> Vec<ProviderFacts> {
        vec![
            ProviderFacts {
                name: Razorpay,
                available: razorpay_ok,
                success_rate_bps: Some(9_000),
            },
            ProviderFacts {
                name: Cashfree,
                available: cashfree_ok,
                success_rate_bps: Some(9_500),
            },
        ]
    }

    fn input(amount: i64) -> RoutingInput {
        RoutingInput {
            amount_minor: amount,
            method: MethodHint::Upi,
            split_draw: 0,
        }
    }

    #[test]
    fn priority_with_failover_reason() {
        let config = RoutingConfig {
            rules: vec![RoutingRule::Priority {
                providers: vec![Razorpay, Cashfree],
            }],
        };
        let ok = route(&input(100), &config, &facts(true, true)).unwrap();
        assert_eq!(
            (ok.providers[0], ok.reason.as_str()),
            (Razorpay, "priority")
        );
        let down = route(&input(100), &config, &facts(false, true)).unwrap();
        assert_eq!(down.providers, vec![Cashfree, Razorpay]);
        assert!(
            down.reason.starts_with("razorpay circuit open"),
            "{}",
            down.reason
        );
    }

    #[test]
    fn thresholds_cost_and_success_rate() {
        let config = RoutingConfig {
            rules: vec![
                RoutingRule::AmountThreshold {
                    min_amount: 1_000_000,
                    providers: vec![Cashfree],
                },
                RoutingRule::LowestCost {
                    fees: vec![
                        FeeEntry {
                            provider: Razorpay,
                            method: MethodHint::Upi,
                            percent_bps: 0,
                            fixed_minor: 0,
                        },
                        FeeEntry {
                            provider: Cashfree,
                            method: MethodHint::Any,
                            percent_bps: 190,
                            fixed_minor: 0,
                        },
                    ],
                },
            ],
        };
        assert_eq!(
            route(&input(2_000_000), &config, &facts(true, true))
                .unwrap()
                .providers[0],
            Cashfree
        );
        let cheap = route(&input(50_000), &config, &facts(true, true)).unwrap();
        assert_eq!(
            (cheap.providers[0], cheap.reason.as_str()),
            (Razorpay, "lowest cost")
        );
        let by_rate = route(
            &input(1),
            &RoutingConfig {
                rules: vec![RoutingRule::SuccessRate],
            },
            &facts(true, true),
        )
        .unwrap();
        assert_eq!(by_rate.providers[0], Cashfree);
    }

    #[test]
    fn invalid_configs_are_refused() {
        let bad_split = RoutingConfig {
            rules: vec![RoutingRule::VolumeSplit {
                weights: vec![(Razorpay, 60), (Cashfree, 30)],
            }],
        };
        assert_eq!(bad_split.validate().unwrap_err().field(), Some("rules[0]"));
        let dup = RoutingConfig {
            rules: vec![RoutingRule::Priority {
                providers: vec![Razorpay, Razorpay],
            }],
        };
        assert!(dup.validate().is_err());
        assert!(route(&input(1), &RoutingConfig { rules: vec![] }, &[]).is_err());
    }

    proptest! {
        #[test]
        fn never_picks_an_unhealthy_provider_when_a_healthy_one_exists(
            razorpay_ok in any::<bool>(), cashfree_ok in any::<bool>(), amount in 1i64..10_000_000, draw in 0u32..100,
            rule in 0usize..4,
        ) {
            let rules = [
                RoutingRule::Priority { providers: vec![Razorpay, Cashfree] },
                RoutingRule::SuccessRate,
                RoutingRule::VolumeSplit { weights: vec![(Razorpay, 70), (Cashfree, 30)] },
                RoutingRule::AmountThreshold { min_amount: 5_000, providers: vec![Razorpay] },
            ];
            let config = RoutingConfig { rules: vec![rules[rule].clone()] };
            let all = facts(razorpay_ok, cashfree_ok);
            let decision = route(&RoutingInput { amount_minor: amount, method: MethodHint::Card, split_draw: draw }, &config, &all).unwrap();
            prop_assert_eq!(decision.providers.len(), 2);
            if razorpay_ok || cashfree_ok {
                let first = decision.providers[0];
                prop_assert!(all.iter().any(|f| f.name == first && f.available));
            }
        }

        #[test]
        fn volume_splits_converge_to_their_percentages(seed in any::<u64>()) {
            let config = RoutingConfig { rules: vec![RoutingRule::VolumeSplit { weights: vec![(Razorpay, 70), (Cashfree, 30)] }] };
            let mut rng_state = seed | 1;
            let mut razorpay = 0;
            const N: u32 = 10_000;
            for _ in 0..N {
                // xorshift: a deterministic uniform draw per proptest seed
                rng_state ^= rng_state << 13;
                rng_state ^= rng_state >> 7;
                rng_state ^= rng_state << 17;
                let draw = (rng_state % 100) as u32;
                if route(&RoutingInput { amount_minor: 100, method: MethodHint::Any, split_draw: draw }, &config, &facts(true, true)).unwrap().providers[0] == Razorpay {
                    razorpay += 1;
                }
            }
            let share = razorpay * 100 / N;
            prop_assert!((67..=73).contains(&share), "razorpay share {share}%");
        }
    }
}
