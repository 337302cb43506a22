//! The mails about an account: confirm your address, reset your password, you were approved.
//! Each is written in the member's own interface language (their account's choice).

use fluent_bundle::{FluentArgs, FluentValue};
use minijinja::context;

use super::{render_pair, MailError, Outgoing};
use crate::accounts::User;
use crate::i18n;

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

/// The recipient's language and the instance's name as message arguments.
fn language_and_args<'a>(user: &User, instance: &'a str) -> (String, FluentArgs<'a>) {
    let lang = i18n::language_for(user.locale.as_deref());
    let args = i18n::args(&[("instance", FluentValue::from(instance))]);
    (lang, args)
}

pub fn confirm_email(user: &User, instance: &str, link: &str) -> Result<Outgoing, MailError> {
    let (lang, args) = language_and_args(user, instance);
    let body = render_pair(
        "confirm_email",
        context! { ui_lang => lang, name => user.display_name, instance => instance, link => link },
    )?;
    Ok(outgoing(
        user,
        i18n::t_args(&lang, "mail-confirm-subject", &args),
        body,
    ))
}

pub fn reset_password(user: &User, instance: &str, link: &str) -> Result<Outgoing, MailError> {
    let (lang, args) = language_and_args(user, instance);
    let body = render_pair(
        "reset_password",
        context! { ui_lang => lang, name => user.display_name, username => user.username, instance => instance, link => link },
    )?;
    Ok(outgoing(
        user,
        i18n::t_args(&lang, "mail-reset-subject", &args),
        body,
    ))
}

pub fn approved(user: &User, instance: &str, link: &str) -> Result<Outgoing, MailError> {
    let (lang, args) = language_and_args(user, instance);
    let body = render_pair(
        "account_approved",
        context! { ui_lang => lang, name => user.display_name, username => user.username, instance => instance, link => link },
    )?;
    Ok(outgoing(
        user,
        i18n::t_args(&lang, "mail-approved-subject", &args),
        body,
    ))
}
