site-name = Tsunagu
site-tagline = Work and staying at work, connected for people with disabilities
skip-link = Skip to main content
nav-label = Main menu
nav-home = Home
nav-login = Sign in
nav-register = Register
nav-dashboard = My page
nav-invitations = Invitations
nav-logout = Sign out
nav-privacy = Privacy policy
lang-switch-label = Language
lang-switch-button = 日本語
footer-help = If you need help, contact the operator and tell us which page you are on.
status-label = Notice

session-warning-title = You will be signed out soon
session-warning-text = Because there has been no activity, you will be signed out in about { $minutes } minutes. Press "Stay signed in" to continue.
session-extend = Stay signed in
session-extended = You are still signed in.
session-expired = You were signed out after a period without activity. Please sign in again.

home-title = Welcome to Tsunagu
home-lead = One place where people with disabilities, employers, employment support facilities and families work together on finding work and staying in it.
home-who = Who it is for
home-seeker = People looking for work
home-seeker-text = Create a profile, find jobs and apply. Information about disability and accommodations is used only as far as you consent.
home-employer = Employers
home-employer-text = Register your company and invite recruiters and follow-up staff.
home-supporter = Employment support facilities
home-supporter-text = Register your facility, invite staff, and support the people you work with.
home-family = Family members
home-family-text = Register through the invitation email from the person you support.
home-register = Register
home-login = Sign in

register-title = Register
register-lead = Choose how you want to register. Family members register through the invitation email they received.
register-as-seeker = Register as a job seeker
register-as-employer = Register a company
register-as-supporter = Register a support facility
register-title-seeker = Job seeker registration
register-title-employer = Company registration
register-title-supporter = Support facility registration
register-submit = Register
register-done = Your registration was received. Please sign in with your email address and password.

field-name = Name
field-name-hint = For example: Taro Yamada
field-email = Email address
field-password = Password
field-password-hint = At least 10 characters. You can paste and use a password manager.
field-new-password = New password
field-org-name-company = Company name
field-org-name-facility = Facility name
field-role = Role
field-relation = Relation to the person
field-required = required

consent-legend = Consent
consent-privacy-label = I agree to the privacy policy (required)
consent-privacy-hint = You can read it on the privacy policy page (version { $version }).
consent-sensitive-label = I agree to the collection and use of information about disability and health (sensitive personal information) (optional)
consent-sensitive-hint = You can register without it, but then no information about disability, accommodations or health can be stored. You can give or withdraw this consent later on your page.

login-title = Sign in
login-submit = Sign in
login-forgot = Forgot your password?
login-no-account = New here? Register

reset-title = Reset your password
reset-lead = Enter the email address you registered with. We will send you a link to set a new password.
reset-submit = Send the reset email
reset-sent = If that email address is registered, we have sent a reset email. The link is valid for one hour.
reset-new-title = Set a new password
reset-new-submit = Change password
reset-done = Your password was changed. Please sign in with the new password. All other sign-ins were ended.
reset-invalid = This link cannot be used. It has expired or was already used. Please request a new reset email.

dashboard-title = My page
account-heading = Account
account-kind = Type of user
kind-seeker = Job seeker
kind-employer = Employer
kind-supporter = Support facility
kind-family = Family
kind-operator = Operator
org-heading = Organisation
org-name = Name
org-verified = Verified by the operator
org-unverified = Waiting for verification by the operator
members-heading = Members
role-company_admin = Administrator
role-recruiter = Recruiter
role-follow_up = Follow-up staff
role-facility_admin = Facility administrator
role-facility_staff = Staff
consents-heading = Consent records
consent-kind-privacy_policy = Privacy policy
consent-kind-sensitive_data = Collection and use of sensitive information (disability, health)
consent-version = Version
consent-given = Given at
consent-withdrawn = Withdrawn at
consent-method = Method
consent-state = State
consent-active = Active
consent-inactive = Withdrawn
consent-withdraw = Withdraw consent
consent-give-sensitive = Consent to collecting sensitive information
consent-withdrawn-done = Your consent was withdrawn. From now on that information is not used.
consent-given-done = Your consent was recorded.
consent-none-sensitive = You have not consented to the collection of sensitive information (disability, health), so no such information is stored.
sessions-heading = Signed-in devices
session-started = Started
session-last-seen = Last active
session-device = Device
session-this = This device
session-revoke = Sign out this device
session-revoked = The selected device was signed out.
family-heading = Family
family-none = No family members are linked.
family-end = End this link
family-ended = The link was ended.
family-of-heading = Person you are linked to
relation-father = Father
relation-mother = Mother
relation-sibling = Sibling
relation-spouse = Spouse
relation-child = Child
relation-grandparent = Grandparent
relation-other = Other

invitations-title = Invitations
invite-member-heading = Invite a member
invite-member-lead = Enter the email address and role of the person to invite. The link in the invitation is valid for 7 days.
invite-family-heading = Invite a family member
invite-family-lead = Enter your family member's email address and relation. You decide later what they can see.
invite-submit = Send invitation
invite-sent = The invitation was sent.
invite-list-heading = Invitations sent
invite-none = No invitations yet.
invite-to = To
invite-kind = For
invite-status = Status
invite-expires = Valid until
invite-status-open = Open
invite-status-accepted = Accepted
invite-status-revoked = Revoked
invite-status-expired = Expired
invite-revoke = Revoke invitation
invite-revoked = The invitation was revoked.
invite-family-kind = Family ({ $relation })
invite-cannot = Only organisation administrators and job seekers can send invitations.
accept-title = Accept invitation
accept-lead-member = { $org } has invited you as { $role }. Choose your name and password to register.
accept-lead-family = You have been invited as a family member ({ $relation }). Choose your name and password to register.
accept-submit = Register and accept
accept-done = You are registered. Please sign in.
accept-invalid = This invitation cannot be used. It has expired, was already used or was revoked. Please contact the person who invited you.

privacy-title = Privacy policy
privacy-version = Version: { $version }

error-summary-title = Please check what you entered
error-page-title = Error
err-email-required = Enter your email address.
err-email-invalid = Enter an email address in the right format, like name@example.jp.
err-password-required = Enter a password.
err-password-too-short = The password must be at least 10 characters.
err-password-too-long = The password must be at most 256 characters.
err-name-required = Enter your name.
err-name-too-long = The name must be at most 100 characters.
err-text-control-chars = This contains characters that cannot be used.
err-org-name-required = Enter the name.
err-org-name-too-long = The name must be at most 200 characters.
err-consent-required = To register, you need to agree to the privacy policy.
err-consent-unknown = Unknown kind of consent.
err-role-invalid = Choose a role.
err-relation-invalid = Choose the relation.
err-kind-invalid = Choose a kind of registration.
err-already-registered = This email address is already registered.
err-not-allowed = You are not allowed to do this.
err-login-failed = The email address or password is not correct.
err-rate-limited = There were too many attempts in a short time. Please wait a little and try again.
err-csrf = This page has expired. Please reload it and try again.
err-not-found = The page you were looking for was not found.
err-unauthorized = Please sign in to see this page.
err-forbidden = You do not have permission to see this page.
err-internal = Sorry, something went wrong. Please try again later.
err-bad-request = The request could not be read.
err-not-withdrawable = This consent cannot be withdrawn. To stop using the service, close your account.
err-not-active = This consent is not active now.

mail-reset-subject = [Tsunagu] Resetting your password
mail-reset-body = Thank you for using Tsunagu.
    We received a request to reset your password. Use this link within one hour to set a new password:

    { $link }

    If you did not ask for this, ignore this email. Your password stays the same.
mail-taken-subject = [Tsunagu] About your registration
mail-taken-body = Someone tried to register with this email address, but it already has an account.
    If it was you and you do not know your password, reset it here:

    { $link }

    If it was not you, ignore this email.
mail-invite-subject = [Tsunagu] You have an invitation
mail-invite-member-body = { $org } has invited you to Tsunagu.
    Register within 7 days using this link:

    { $link }
mail-invite-family-body = A family member has invited you to Tsunagu.
    Register within 7 days using this link:

    { $link }
err-reset-token-invalid = The reset link is not valid. It has expired or was already used.
err-invitation-invalid = This invitation cannot be used. It has expired, was already used or was revoked.
err-consents = The consents given are not valid.
table-suffix = (table)
