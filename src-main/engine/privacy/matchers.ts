// The built-in PII matchers, with Segment Privacy Portal's default classes: red for data that must not
// spread (government ids, payment data, credentials), yellow for contact and identity data. Each matcher
// finds data by its value's shape, by its field's name, or both; a key match is reported only when the
// value under it is a non-empty string or number that fits (`email_verified: true` is no email).
//
// Order matters: a field is reported once, under the first matcher that catches it, and red checks come
// before yellow ones (a `password` field holding an email address is a password).

import type { BuiltInMatcherId, Classification, MatcherInfo } from '../../../src-shared/privacy'
import type { KeyRule } from './keys'
import {
  isAccountLike,
  isAuthorizationValue,
  isAwsAccessKeyId,
  isCardCode,
  isCardLike,
  isCardNumber,
  isEmail,
  containsEmail,
  isIban,
  isInternationalPhone,
  isIpAddress,
  isJwt,
  isPhoneLike,
  isPrefixedSecret,
  isSsn,
  isSsnLike
} from './shapes'

/** What the value matcher knows about the field's key. */
export interface ValueContext {
  /** The key names a version or build (`app_version`): dotted quads there are not addresses. */
  versionKey: boolean
}

export interface BuiltInMatcher {
  id: BuiltInMatcherId
  name: string
  matchesOn: MatcherInfo['matchesOn']
  defaultClassification: Classification
  description: string
  /** Field names that announce this data; each rule says what a value under them must look like. */
  keys?: readonly KeyRule[]
  /** The value alone is enough (strings up to 10 KB; numbers are only ever judged with a key). */
  value?: (s: string, ctx: ValueContext) => boolean
  /**
   * The characters a value this matcher catches can start with (absent: any). Detection skips the value
   * test for other strings without calling it: most strings in an event need only two or three tests.
   */
  valueStartsWith?: string
  /**
   * The shortest and longest value this matcher's value test can accept (its own first check): detection
   * skips the call for other lengths, as for valueStartsWith.
   */
  valueLength?: readonly [number, number]
}

const DIGITS = '0123456789'
const LETTERS = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ'

// ---------------------------------------------------------------------------------------------------------
// What values under a matching key must look like.

function text(v: string | number, min = 1, max = 1_000): v is string {
  if (typeof v !== 'string') return false
  const t = v.trim()
  return t.length >= min && t.length <= max
}

/** Names: text with at least one letter (`0`, `-`, `n/a` are placeholders, not names). */
function nameLike(v: string | number): boolean {
  return text(v, 1, 300) && /\p{L}/u.test(v) && !/^(?:n\/?a|none|null|undefined|unknown|true|false|-)$/i.test(v.trim())
}

/** Document numbers: 4–40 letters, digits and separators with at least one digit, or a whole number. */
function documentNumber(v: string | number): boolean {
  if (typeof v === 'number') return Number.isSafeInteger(v) && v >= 1_000
  const t = v.trim()
  return t.length >= 4 && t.length <= 40 && /\d/.test(t) && /^[\p{L}\d .\-/]+$/u.test(t)
}

/** Dates of birth: text with a digit (`1990-04-01`, `01/04/1990`, `April 1, 1990`) or a YYYYMMDD/epoch number. */
function dateLike(v: string | number): boolean {
  if (typeof v === 'number') return Number.isSafeInteger(v) && Math.abs(v) >= 10_000
  return text(v, 4, 64) && /\d/.test(v)
}

/** Address parts: any text, or a whole number (a ZIP code sent as a number). */
function addressPart(v: string | number): boolean {
  if (typeof v === 'number') return Number.isSafeInteger(v) && v >= 0
  return text(v, 1, 1_000) && /[\p{L}\d]/u.test(v)
}

/** Secrets are opaque strings of 4+ characters, or numeric one-time codes. */
function secretLike(v: string | number): boolean {
  if (typeof v === 'number') return Number.isSafeInteger(v) && v >= 1_000
  return text(v, 4, 100_000)
}

function passwordLike(v: string | number): boolean {
  return typeof v === 'number' ? Number.isFinite(v) : v.length > 0
}

function pinLike(v: string | number): boolean {
  const s = typeof v === 'number' ? (Number.isSafeInteger(v) && v >= 0 ? String(v) : '') : v
  return /^\d{4,8}$/.test(s)
}

/** Under an email-named key, any text with an `@` counts, even outside the strict shape (`bob@localhost`). */
function emailish(v: string | number): boolean {
  return typeof v === 'string' && v.length <= 320 && v.indexOf('@') > 0
}

// Words that turn a key about some data into a key about something else: a hash of it, a flag, a count.
const DERIVED = ['hash', 'hashed', 'sha', 'md', 'encrypted', 'masked', 'is', 'has', 'verified', 'valid', 'count', 'type', 'length']

// ---------------------------------------------------------------------------------------------------------

export const BUILT_IN_MATCHERS: readonly BuiltInMatcher[] = [
  // Red: by value.
  {
    id: 'jwt',
    name: 'JSON Web Token',
    matchesOn: 'value',
    defaultClassification: 'red',
    description: 'A JWT: three (or five, encrypted) base64url parts whose header decodes to JSON naming an alg.',
    value: isJwt,
    valueLength: [20, Infinity],
    valueStartsWith: 'e'
  },
  {
    id: 'bearer_token',
    name: 'Authorization header value',
    matchesOn: 'value',
    defaultClassification: 'red',
    description: '"Bearer <token>" with a token of 16+ characters, or "Basic <base64 of user:password>".',
    value: isAuthorizationValue,
    valueLength: [14, Infinity],
    valueStartsWith: 'bB'
  },
  {
    id: 'aws_access_key',
    name: 'AWS access key id',
    matchesOn: 'value',
    defaultClassification: 'red',
    description: 'AKIA (long-term) or ASIA (temporary) followed by 16 base-32 characters.',
    value: isAwsAccessKeyId,
    valueLength: [20, 20],
    valueStartsWith: 'A'
  },
  {
    id: 'secret',
    name: 'Secret, API key or token',
    matchesOn: 'key or value',
    defaultClassification: 'red',
    description:
      'Fields named like secrets, API keys, access/refresh/session tokens, private keys, credentials or one-time ' +
      'codes (not page tokens or token counts); values with a known secret prefix (Stripe sk_/rk_, GitHub ghp_…, ' +
      'Slack xox…, GitLab glpat-, PEM private keys) under any name.',
    value: isPrefixedSecret,
    valueLength: [20, Infinity],
    valueStartsWith: 'srgx-',
    keys: [
      {
        endsWith: [
          'secret', 'secrets', 'clientsecret', 'apisecret', 'secretkey', 'apikey', 'apitoken', 'token', 'accesstoken',
          'refreshtoken', 'authtoken', 'idtoken', 'sessiontoken', 'bearertoken', 'csrftoken', 'xsrftoken', 'resettoken',
          'privatekey', 'accesskey', 'secretaccesskey', 'signingkey', 'signingsecret', 'encryptionkey', 'masterkey',
          'licensekey', 'credential', 'credentials', 'authorization', 'otp', 'otpcode', 'totp', 'mfacode',
          'twofactorcode', 'verificationcode', 'cookie', 'cookies', 'sessioncookie'
        ],
        withinWord: ['apikey', 'accesstoken', 'refreshtoken', 'authtoken', 'clientsecret', 'secretkey', 'privatekey'],
        unless: [
          'page', 'pagination', 'next', 'prev', 'previous', 'cursor', 'continuation', 'publishable', 'public', 'pk',
          'write', 'max', 'limit', 'usage', 'expires', 'expiry', 'expiration', 'prompt', 'completion', 'input',
          'output', 'total', 'consent', 'accepted', ...DERIVED
        ],
        accepts: secretLike
      }
    ]
  },
  {
    id: 'credit_card',
    name: 'Credit card',
    matchesOn: 'key or value',
    defaultClassification: 'red',
    description:
      'Card numbers by value: 13–19 digits (plain or grouped by spaces/dashes), a known issuer prefix and length, ' +
      'a valid Luhn check digit. Under card-number field names any issuer passes (Luhn still required); ' +
      'cvv/cvc fields holding 3–4 digits.',
    value: isCardNumber,
    valueLength: [12, 23],
    valueStartsWith: '23456',
    keys: [
      {
        endsWith: [
          'cardnumber', 'cardno', 'cardnum', 'creditcard', 'creditcardnumber', 'debitcard', 'debitcardnumber', 'ccnumber',
          'ccnum', 'ccno', 'cc', 'paymentcardnumber', 'pan', 'primaryaccountnumber'
        ],
        withinWord: ['cardnumber', 'creditcard'],
        unless: ['last', 'first', 'bin', 'iin', 'brand', 'expiry', 'expiration', 'exp', 'country', ...DERIVED],
        accepts: isCardLike
      },
      {
        endsWith: ['cvv', 'cvc', 'cvn', 'cardcvv', 'cardcvc', 'cardsecuritycode', 'cardverificationcode', 'securitycode'],
        unless: DERIVED,
        accepts: isCardCode
      }
    ]
  },
  {
    id: 'iban',
    name: 'IBAN / bank account',
    matchesOn: 'key or value',
    defaultClassification: 'red',
    description:
      'IBANs by value: a known country code, that country\'s exact length and the mod-97 check (compact or in ' +
      'groups of four). Fields named iban / bank_account(_number) holding 8–34 letters and digits.',
    value: isIban,
    valueLength: [15, 42],
    valueStartsWith: LETTERS,
    keys: [
      {
        endsWith: ['iban', 'bankaccount', 'bankaccountnumber', 'bankaccountno', 'bankaccountnum'],
        unless: DERIVED,
        accepts: isAccountLike
      }
    ]
  },
  {
    id: 'us_ssn',
    name: 'US Social Security number',
    matchesOn: 'key or value',
    defaultClassification: 'red',
    description:
      'AAA-GG-SSSS by value only with dashes; nine digits (bare, dashes or spaces) under ssn / social_security_number. ' +
      'Never-issued numbers are excluded: area 000, 666 or 900–999, group 00, serial 0000, and published examples.',
    value: isSsn,
    valueLength: [11, 11],
    valueStartsWith: DIGITS,
    keys: [
      {
        endsWith: ['ssn', 'socialsecuritynumber', 'socialsecurity', 'socialsecurityno', 'socialsecuritynum', 'ssnumber'],
        unless: DERIVED,
        accepts: isSsnLike
      }
    ]
  },
  // Red: by key.
  {
    id: 'password',
    name: 'Password',
    matchesOn: 'key',
    defaultClassification: 'red',
    description:
      'Fields named password / passwd / pwd / passcode / passphrase (new_password, passwordConfirmation …) with any ' +
      'non-empty value; pin / pin_code with 4–8 digits. Not password_strength, password_length, has_password.',
    keys: [
      {
        endsWith: [
          'password', 'passwords', 'passwd', 'pwd', 'passcode', 'passphrase', 'passwordconfirmation', 'passwordconfirm',
          'passwordhash', 'userpass'
        ],
        exactly: ['pass'],
        withinWord: ['password', 'passwd'],
        unless: ['strength', 'policy', 'changed', 'forgot', 'reset', 'expired', 'less', 'manager', ...DERIVED],
        accepts: passwordLike
      },
      { endsWith: ['pin', 'pincode', 'pinnumber'], unless: DERIVED, accepts: pinLike }
    ]
  },
  {
    id: 'passport',
    name: 'Passport number',
    matchesOn: 'key',
    defaultClassification: 'red',
    description: 'Fields named passport / passport_number / passport_no holding a document number (4–40 characters with a digit).',
    keys: [
      {
        endsWith: ['passport', 'passportnumber', 'passportno', 'passportnum', 'passportid'],
        withinWord: ['passportnumber'],
        unless: DERIVED,
        accepts: documentNumber
      }
    ]
  },
  {
    id: 'national_id',
    name: 'National ID number',
    matchesOn: 'key',
    defaultClassification: 'red',
    description:
      'Fields named for national identity and tax numbers and driving licences (national_id, national_insurance_number, ' +
      'id_card_number, tax_id, tin, nin, sin, nric, aadhaar, cpf, curp, dni, nie, pesel, personnummer, bsn, ' +
      'codice_fiscale, drivers_license_number …) holding a document number (4–40 characters with a digit).',
    keys: [
      {
        endsWith: [
          'nationalid', 'nationalidnumber', 'nationalidentitynumber', 'nationalidentificationnumber', 'nationalidentifier',
          'nationalinsurancenumber', 'nationalinsuranceno', 'ninumber', 'nino', 'idcardnumber', 'idcardno', 'identitycard',
          'identitycardnumber', 'identitynumber', 'identitydocumentnumber', 'taxid', 'taxidnumber', 'taxpayerid',
          'taxpayernumber', 'taxidentificationnumber', 'socialinsurancenumber', 'nric', 'aadhaar', 'aadhaarnumber', 'aadhar',
          'cpf', 'curp', 'dni', 'nie', 'pesel', 'personnummer', 'bsn', 'burgerservicenummer', 'codicefiscale', 'steuerid',
          'driverslicense', 'driverslicensenumber', 'driverlicense', 'driverlicensenumber', 'drivinglicence',
          'drivinglicencenumber', 'drivinglicense', 'drivinglicensenumber', 'licensenumber', 'licencenumber'
        ],
        exactly: ['tin', 'nin', 'sin'],
        unless: ['state', 'country', 'issuer', 'expiry', 'expiration', ...DERIVED],
        accepts: documentNumber
      }
    ]
  },
  // Yellow: by value (and relaxed by key).
  {
    id: 'email',
    name: 'Email address',
    matchesOn: 'key or value',
    defaultClassification: 'yellow',
    description:
      'Values that are one whole email address (not URLs or file names with an @). Fields named email / e-mail / ' +
      'email_address / user_email … holding any text with an @. Not email_verified, emailOptIn, hashed_email.',
    value: isEmail,
    valueLength: [6, 254],
    keys: [
      {
        endsWith: ['email', 'emails', 'mail', 'emailaddress', 'emailaddresses', 'mailaddress', 'emailaddr', 'emailid'],
        withinWord: ['email', 'emailaddress'],
        unless: DERIVED,
        accepts: emailish
      }
    ]
  },
  {
    id: 'email_in_text',
    name: 'Email address in text',
    matchesOn: 'value',
    defaultClassification: 'yellow',
    description:
      'Longer values with an email address inside them: a page URL or referrer with ?email=ada%40example.com, a ' +
      'message or note. Mask and hash replace only the address (drop drops the field). Not image names like logo@2x.png, ' +
      'package names like @scope/pkg or versions like pkg@1.2.3; a value with more than 64 such @-fragments is flagged.',
    value: containsEmail,
    valueLength: [7, Infinity]
  },
  {
    id: 'phone',
    name: 'Phone number',
    matchesOn: 'key or value',
    defaultClassification: 'yellow',
    description:
      'International numbers by value: a leading + and 8–15 digits (E.164, spaces/dashes/dots/parentheses allowed). ' +
      'National formats (7–15 digits) only under phone / mobile / tel / cell / fax / msisdn fields.',
    value: isInternationalPhone,
    valueLength: [9, 32],
    valueStartsWith: '+',
    keys: [
      {
        endsWith: [
          'phone', 'phones', 'phonenumber', 'phonenumbers', 'phoneno', 'phonenum', 'telephone', 'telephonenumber', 'tel',
          'telno', 'mobile', 'mobilenumber', 'mobilephone', 'mobileno', 'cell', 'cellphone', 'cellnumber', 'fax',
          'faxnumber', 'msisdn', 'whatsapp', 'whatsappnumber', 'smsnumber'
        ],
        withinWord: ['phonenumber', 'telephone', 'cellphone', 'mobilephone'],
        unless: ['country', 'code', 'prefix', 'model', 'brand', 'os', 'carrier', 'extension', 'ext', 'opt', 'optin', ...DERIVED],
        accepts: isPhoneLike
      }
    ]
  },
  {
    id: 'ip_address',
    name: 'IP address',
    matchesOn: 'value',
    defaultClassification: 'yellow',
    description:
      'IPv4 (octets 0–255, no leading zeros) and IPv6 addresses, except unspecified, loopback and broadcast ones, ' +
      'and except under version/build fields (app_version: "1.2.3.4").',
    value: (s, ctx) => !ctx.versionKey && isIpAddress(s),
    valueLength: [3, 45],
    valueStartsWith: DIGITS + 'abcdefABCDEF:'
  },
  // Yellow: by key.
  {
    id: 'date_of_birth',
    name: 'Date of birth',
    matchesOn: 'key',
    defaultClassification: 'yellow',
    description:
      'Fields named dob / birthday / birthdate / date_of_birth / bday holding a date (text with a digit, or a number). ' +
      'Other dates and timestamps are not birth dates.',
    keys: [
      {
        endsWith: ['dob', 'birthday', 'birthdate', 'dateofbirth', 'bday', 'birthdt', 'borndate', 'bornon'],
        withinWord: ['birthday', 'birthdate', 'dateofbirth'],
        unless: ['days', 'until', 'since', 'reminder', 'discount', 'gift', 'campaign', 'offer', 'coupon', 'email', 'sent', ...DERIVED],
        accepts: dateLike
      }
    ]
  },
  {
    id: 'person_name',
    name: 'Person name',
    matchesOn: 'key',
    defaultClassification: 'yellow',
    description:
      'Fields named first_name / last_name / full_name / given_name / family_name / surname / display_name / ' +
      'customer_name / cardholder_name … holding text with a letter; a bare `name` only at the top level of a ' +
      'user\'s traits (identify traits, context.traits), where Segment\'s spec makes it the person\'s name — ' +
      'elsewhere (products, pages, libraries, group traits) `name` names a thing.',
    keys: [
      {
        endsWith: [
          'firstname', 'lastname', 'fullname', 'givenname', 'familyname', 'surname', 'middlename', 'maidenname',
          'displayname', 'legalname', 'customername', 'contactname', 'billingname', 'shippingname', 'recipientname',
          'cardholdername', 'cardholder', 'nameoncard', 'patientname', 'buyername', 'sendername', 'holdername', 'forename',
          'forenames', 'personname'
        ],
        exactly: ['fname', 'lname'],
        exactlyInUserTraits: ['name'],
        withinWord: ['firstname', 'lastname', 'fullname', 'surname'],
        unless: [
          'product', 'app', 'device', 'page', 'screen', 'event', 'file', 'host', 'brand', 'category', 'plan', 'campaign',
          'store', 'shop', 'team', 'group', 'org', 'organization', 'company', 'business', 'variant', 'item', 'sku', 'font',
          'column', 'field', 'table', ...DERIVED
        ],
        accepts: nameLike
      }
    ]
  },
  {
    id: 'postal_address',
    name: 'Postal address',
    matchesOn: 'key',
    defaultClassification: 'yellow',
    description:
      'Address parts by field name: address / address_line1 / street / street_address / house_number / zip / ' +
      'zip_code / postcode / postal_code / city / town (billing_, shipping_, home_ … too). Not email_address, ' +
      'ip_address, mac_address, wallet_address. Objects under address keys are walked, their parts reported.',
    keys: [
      {
        endsWith: [
          'address', 'addresses', 'addressline', 'streetaddress', 'street', 'streetname', 'streetnumber', 'housenumber',
          'zip', 'zipcode', 'postcode', 'postalcode', 'postaladdress', 'city', 'town'
        ],
        withinWord: ['streetaddress', 'zipcode', 'postalcode', 'postcode', 'addressline'],
        unless: [
          'email', 'mail', 'ip', 'ipv', 'mac', 'wallet', 'web', 'url', 'remote', 'server', 'host', 'bitcoin', 'btc', 'eth',
          'ethereum', 'crypto', 'contract', 'token', 'ens', 'hardware', 'memory', 'bluetooth', 'ble', 'wifi', 'network',
          'file', 'archive', ...DERIVED
        ],
        accepts: addressPart
      }
    ]
  }
]
