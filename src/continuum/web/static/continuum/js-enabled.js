// Marks the page as script-capable before it renders, as the GOV.UK page template does inline.
document.body.className += ' js-enabled' + ('noModule' in HTMLScriptElement.prototype ? ' govuk-frontend-supported' : '');
