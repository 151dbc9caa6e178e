// Ready-to-paste client setups pointing at this Loupe (README "Point a client at Loupe"): Segment's
// standard analytics.js snippet with two changes — the CDN host, and `analytics._cdn` (analytics.js
// derives its CDN from the script URL only for https hosts) — and analytics-node with `host`.

import { jsString } from './code-literals'

// Segment's snippet (SNIPPET_VERSION 5.2.0), as its app hands it out, up to the script URL.
const SNIPPET_HEAD =
  '!function(){var i="analytics",analytics=window[i]=window[i]||[];if(!analytics.initialize)if(analytics.invoked)window.console&&console.error&&console.error("Segment snippet included twice.");else{analytics.invoked=!0;analytics.methods=["trackSubmit","trackClick","trackLink","trackForm","pageview","identify","reset","group","track","ready","alias","debug","page","screen","once","off","on","addSourceMiddleware","addIntegrationMiddleware","setAnonymousId","addDestinationMiddleware","register"];analytics.factory=function(e){return function(){if(window[i].initialized)return window[i][e].apply(window[i],arguments);var n=Array.prototype.slice.call(arguments);if(["track","screen","alias","group","page","identify"].indexOf(e)>-1){var c=document.querySelector("link[rel=\'canonical\']");n.push({__t:"bpc",c:c&&c.getAttribute("href")||void 0,p:location.pathname,u:location.href,s:location.search,t:document.title,r:document.referrer})}n.unshift(e);analytics.push(n);return analytics}};for(var n=0;n<analytics.methods.length;n++){var key=analytics.methods[n];analytics[key]=analytics.factory(key)}analytics.load=function(key,n){var t=document.createElement("script");t.type="text/javascript";t.async=!0;t.setAttribute("data-global-segment-analytics-key",i);'

const SNIPPET_TAIL = 'var r=document.getElementsByTagName("script")[0];r.parentNode.insertBefore(t,r);analytics._loadOptions=n};'

/** The script block for a web page; `origin` is this Loupe (location.origin of the UI). */
export function analyticsJsSnippet(origin: string, writeKey: string): string {
  const key = jsString(writeKey)
  return [
    '<script>',
    `  ${SNIPPET_HEAD}`,
    `  t.src=${jsString(`${origin}/analytics.js/v1/`)}+key+"/analytics.min.js"; // Loupe: was https://cdn.segment.com`,
    `  ${SNIPPET_TAIL}`,
    `  analytics._writeKey=${key};analytics.SNIPPET_VERSION="5.2.0";`,
    `  analytics._cdn=${jsString(origin)}; // Loupe: added (analytics.js reads its CDN from the URL only for https)`,
    `  analytics.load(${key});`,
    '  analytics.page();',
    '  }}();',
    '</script>'
  ].join('\n')
}

export function analyticsNodeSnippet(origin: string, writeKey: string): string {
  return [
    "import { Analytics } from '@segment/analytics-node'",
    '',
    `const analytics = new Analytics({ writeKey: ${jsString(writeKey)}, host: ${jsString(origin)} })`,
    "analytics.track({ userId: 'user-1', event: 'Order Completed', properties: { revenue: 9.99 } })",
    'await analytics.closeAndFlush()'
  ].join('\n')
}
