import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { escapeHtml, href, html, jsonScript, SafeHtml } from './html.js';

const XSS = '<img src=x onerror=alert(1)>';

describe('html', () => {
  it('escapes every interpolated value, in text and in attributes', () => {
    assert.equal(html`<td title="${XSS}">${XSS}</td>`.value, '<td title="&lt;img src=x onerror=alert(1)&gt;">&lt;img src=x onerror=alert(1)&gt;</td>');
    assert.equal(html`<a title="${`" onmouseover="x`}">${"O'Neal & co"}</a>`.value, '<a title="&quot; onmouseover=&quot;x">O&#39;Neal &amp; co</a>');
    assert.equal(escapeHtml('a<b>&"\''), 'a&lt;b&gt;&amp;&quot;&#39;');
  });

  it('keeps nested templates as markup, joins arrays, and drops null/undefined/false', () => {
    const rows = ['<a>', 'b'].map((x) => html`<li>${x}</li>`);
    assert.equal(html`<ul>${rows}</ul>${null}${undefined}${false}${0}`.value, '<ul><li>&lt;a&gt;</li><li>b</li></ul>0');
    assert.ok(html`x` instanceof SafeHtml);
  });

  it('puts JSON in a script block that no string can close', () => {
    const block = jsonScript('d', { name: `</script>${XSS}`, sep: '\u2028' }).value;
    assert.equal(block.includes('</script><img'), false);
    const json = block.slice(block.indexOf('>') + 1, block.lastIndexOf('</script>'));
    assert.deepEqual(JSON.parse(json), { name: `</script>${XSS}`, sep: '\u2028' });
  });

  it('builds links with encoded segments and query values', () => {
    assert.equal(href('/players', ['a/b?c']), '/players/a%2Fb%3Fc');
    assert.equal(href('/failures', [], { from: '2021-11-01', processor: undefined, category: 'A&B' }), '/failures?from=2021-11-01&category=A%26B');
  });
});
