//! The mails about an account: confirm your address, reset your password, you were approved.

use minijinja::context;

use super::{render_pair, MailError, Outgoing};
use crate::accounts::User;

fn outgoing(user: &User, subject: String, (text, html): (String, String)) -> Outgoing {
    Outgoing {
        to: user.email.clone(),
        to_name: Some(user.display_name.clone()),
        subject,
        text,
        html: Some(html),
        ..Outgoing::default()
    }
}

pub fn confirm_email(user: &User, instance: &str, link: &str) -> Result<Outgoing, MailError> {
    let body = render_pair(
        "confirm_email",
        context! { name => user.display_name, instance => instance, link => link },
    )?;
    Ok(outgoing(
        user,
        format!("Confirm your email address for {instance}"),
        body,
    ))
}

pub fn reset_password(user: &User, instance: &str, link: &str) -> Result<Outgoing, MailError> {
    let body = render_pair(
        "reset_password",
        context! { name => user.display_name, username => user.username, instance => instance, link => link },
    )?;
    Ok(outgoing(
        user,
        format!("Reset your password for {instance}"),
        body,
    ))
}

pub fn approved(user: &User, instance: &str, link: &str) -> Result<Outgoing, MailError> {
    let body = render_pair(
        "account_approved",
        context! { name => user.display_name, username => user.username, instance => instance, link => link },
    )?;
    Ok(outgoing(
        user,
        format!("Your account on {instance} is ready"),
        body,
    ))
}
