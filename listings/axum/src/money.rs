//! Money in whole cents, so totals add up exactly; shared by the handlers and the API's
//! validation (which shows the customer the same total the workflow will compute).

use std::ops::Add;

pub const TAX_RATE_PERCENT: i64 = 8;
/// Orders from this subtotal ship free; below it shipping costs FLAT_SHIPPING.
pub const FREE_SHIPPING_FROM: Cents = Cents(100_00);
pub const FLAT_SHIPPING: Cents = Cents(9_99);

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Cents(pub i64);

impl Cents {
    pub fn from_amount(amount: f64) -> Cents {
        Cents((amount * 100.0).round() as i64)
    }
    pub fn times(self, n: u32) -> Cents {
        Cents(self.0 * n as i64)
    }
    /// Rounded half away from zero, as a till would.
    pub fn percent(self, p: i64) -> Cents {
        Cents((self.0 * p + 50) / 100)
    }
    pub fn amount(self) -> f64 {
        self.0 as f64 / 100.0
    }
}

impl Add for Cents {
    type Output = Cents;
    fn add(self, o: Cents) -> Cents {
        Cents(self.0 + o.0)
    }
}

pub fn shipping_for(subtotal: Cents) -> Cents {
    if subtotal >= FREE_SHIPPING_FROM { Cents(0) } else { FLAT_SHIPPING }
}

/// What the order will cost: subtotal + tax + shipping.
pub fn order_total(lines: impl IntoIterator<Item = (f64, u32)>) -> Cents {
    let subtotal = lines.into_iter().fold(Cents(0), |acc, (price, qty)| acc + Cents::from_amount(price).times(qty));
    subtotal + subtotal.percent(TAX_RATE_PERCENT) + shipping_for(subtotal)
}
