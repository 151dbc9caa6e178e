// Categories for the Action destinations catalogue. @segment/action-destinations ships none (Segment keeps
// them in its catalogue service), so build-actions-catalogue.mjs derives them here from each destination's
// slug, name and description. The names are Segment's own destination categories (segment-docs,
// src/_data/catalog/destination_categories.yml), so a category means the same as on segment.com/catalog.
//
// A destination gets every category with a matching pattern. Each category lists the words of its trade
// ("conversions api", "sms", "webhook") and then the vendors whose name says nothing about what they do
// (most of the package's descriptions are empty). Phrases about Segment's own data ("Send Segment analytics
// events to …") are removed first: they say where the data comes from, not what the vendor is.
// What matches nothing is "Other"; the generator prints how many, to notice a new release's gaps.

export const OTHER = 'Other'

/** @type {[string, RegExp][]} */
export const CATEGORY_RULES = [
  ['A/B Testing', /\ba\/b\b|\bexperiment|\bsplit test|\b(absmartly|adobe target|kameleoon|optimizely (web|feature)|vwo)(?!\w)/],
  ['Advertising', /\bads?\b|\badvertis|\bconversions? api|\bcapi\b|\bretarget|\bprogrammatic|\bdsp\b|\b(1plusx|amazon amc|angler ai|criteo|delivr ai|display (and )?video 360|dv360|epsilon|facebook|google ads|google campaign manager|google data manager|iqm|kevel|linkedin|liveramp|moloco|nextdoor|pinterest|reddit|revx|rokt|snap|stackadapt|taboola|the trade desk|tiktok|topsort|vibe audience|yahoo|youappi)(?!\w)/],
  ['Analytics', /\banalytics\b|\brevenue metrics\b|\b(accoil|actable|aggregations\.io|amplitude|app ?fit|avo|calliper|canvas|chartmogul|dawn ai|equals|heap|june|klime|launchpad|mixpanel|posthog|ripe|roadway ?ai|trackey|trubrics|usermaven)(?!\w)/],
  ['Attribution', /(?<!agent )\battribution\b|\b(adjust|dub|magellan ai|podscribe)(?!\w)/],
  ['CRM', /(?<!trade desk )\bcrm\b|\b(apollo\.io|attio|blackbaud|close|hubspot|hyperengage|inleads|pipedrive|salesforce \(actions\)|saleswings|toplyne)(?!\w)/],
  ['Customer Success', /\bcustomer success\b|\bonboarding\b|\bproduct adoption\b|\b(appcues|canny|devrev|gainsight|jimo|nudge|pendo|usermotion|userpilot|voiceops)(?!\w)/],
  ['Email', /\b(engage messaging sendgrid|sendgrid)(?!\w)/],
  ['Email Marketing', /\be-?mail (marketing|campaigns?)\b|\bnewsletters?\b|\bsend (an )?e-?mails?\b|\b(acoustic|cordial|dotdigital|drip|iterable|klaviyo|listrak|loops|movable ink|responsys|salesforce marketing cloud|sendgrid|taguchi|yonoma)(?!\w)/],
  ['Enrichment', /\benrich|\b(ambee|clay|koala|liveramp)(?!\w)/],
  ['Feature Flagging', /\bfeature (flag|experimentation|management)|\b(launchdarkly|schematic)(?!\w)/],
  ['Heatmaps & Recordings', /\bheatmaps?\b|\bsession (replay|recording)|\b(fullstory)(?!\w)/],
  ['Livechat', /\blive ?chat\b|\bconversational\b|\b(gleap|intercom|qualified)(?!\w)/],
  ['Marketing Automation', /\bmarketing automation\b|\bcustomer engagement\b|\bjourneys?\b|\bmarketing campaigns?\b|\b(aampe|acoustic|braze|clevertap|customer ?io|emarsys|encharge|hubspot|insider|iterable|marketo|moengage|ortto|outfunnel|pardot|salesforce marketing cloud)(?!\w)/],
  ['Performance Monitoring', /\bperformance monitoring\b|\berror tracking\b|\b(playerzero)(?!\w)/],
  ['Personalization', /\bpersonali[sz]|\brecommend|\b(adobe target|algolia|blend ai|contentstack|dynamic yield|insider|kameleoon|movable ink|optimizely (data platform|advanced audience)|recombee)(?!\w)/],
  ['Raw Data', /\bwebhooks?\b|\bkafka\b|\bs3\b|\bkinesis\b|\bsftp\b|\beventbridge\b|\bpub\/?sub\b|\bgoogle sheets\b|\b(singlestore|zapier)(?!\w)/],
  ['Referrals', /\breferrals?\b|\bloyalty\b|\brewards?\b|\bvouchers?\b|\b(antavo|eagle eye|friendbuy|gameball|rehook|talon\.one|voucherify|yotpo)(?!\w)/],
  ['SMS & Push Notifications', /\bsms\b|\bmms\b|\bwhatsapp\b|\bpush notifications?\b|\b(airship|attentive|batch \(actions\)|braze|courier|engage messaging twilio|moengage|postscript|pushwoosh|twilio|voyage|xtremepush)(?!\w)/],
  ['Surveys', /\bsurveys?\b|\b(qualtrics|sprig|surveysparrow|survicate)(?!\w)/]
]

/** Where the data comes from, not what the vendor does: "Send Segment analytics events to Drip". */
const ABOUT_SEGMENT = /\bsegment(['’]s)? (analytics|events?|data|engage)\b|\banalytics (events?|data)\b|\bsegment (engage )?audiences\b/g

/** The categories of one destination, in the table's order; [OTHER] when nothing matches. */
export function categoriesOf(slug, name, description) {
  const text = `${slug.replace(/-/g, ' ')} | ${name} | ${description}`.toLowerCase().replace(ABOUT_SEGMENT, ' ')
  const found = CATEGORY_RULES.filter(([, pattern]) => pattern.test(text)).map(([category]) => category)
  return found.length > 0 ? found : [OTHER]
}
