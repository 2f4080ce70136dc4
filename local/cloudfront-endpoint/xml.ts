/**
 * The little XML the CloudFront REST-XML API needs: a strict-enough parser for request bodies
 * (elements, text, entities, CDATA; attributes are read but namespaces are ignored) and a builder
 * for responses. Not a general XML library: no DTDs, no processing of namespaces.
 */

export interface XmlElement {
  readonly name: string;
  readonly attributes: Readonly<Record<string, string>>;
  readonly children: XmlElement[];
  /** Concatenated text content directly inside this element. */
  text: string;
}

export class XmlError extends Error {}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

export function decodeEntities(s: string): string {
  return s.replace(/&(#x[0-9a-fA-F]+|#\d+|[a-zA-Z]+);/g, (m, e: string) => {
    if (e[0] === '#') {
      const cp = e[1] === 'x' || e[1] === 'X' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10);
      if (!Number.isFinite(cp) || cp < 0 || cp > 0x10ffff) throw new XmlError(`invalid character reference ${m}`);
      return String.fromCodePoint(cp);
    }
    const v = ENTITIES[e];
    if (v === undefined) throw new XmlError(`unknown entity ${m}`);
    return v;
  });
}

export function escapeXml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&${({ '&': 'amp', '<': 'lt', '>': 'gt', '"': 'quot', "'": 'apos' } as Record<string, string>)[c]};`);
}

const NAME = /[A-Za-z_][\w.:-]*/y;
const ATTR = /\s+([A-Za-z_][\w.:-]*)\s*=\s*("([^"]*)"|'([^']*)')/y;

/** Parses a document and returns its root element. @throws XmlError on malformed input. */
export function parseXml(text: string): XmlElement {
  let i = 0;
  const stack: XmlElement[] = [];
  let root: XmlElement | undefined;
  const skip = (re: RegExp) => {
    re.lastIndex = i;
    const m = re.exec(text);
    if (m) i = re.lastIndex;
    return m;
  };
  while (i < text.length) {
    const lt = text.indexOf('<', i);
    const chunk = lt < 0 ? text.slice(i) : text.slice(i, lt);
    if (chunk.trim() !== '') {
      const top = stack[stack.length - 1];
      if (!top) throw new XmlError('text outside the root element');
      top.text += decodeEntities(chunk);
    }
    if (lt < 0) break;
    i = lt;
    if (text.startsWith('<?', i)) {
      const end = text.indexOf('?>', i);
      if (end < 0) throw new XmlError('unterminated processing instruction');
      i = end + 2;
    } else if (text.startsWith('<!--', i)) {
      const end = text.indexOf('-->', i);
      if (end < 0) throw new XmlError('unterminated comment');
      i = end + 3;
    } else if (text.startsWith('<![CDATA[', i)) {
      const end = text.indexOf(']]>', i);
      if (end < 0) throw new XmlError('unterminated CDATA section');
      const top = stack[stack.length - 1];
      if (!top) throw new XmlError('CDATA outside the root element');
      top.text += text.slice(i + 9, end);
      i = end + 3;
    } else if (text.startsWith('</', i)) {
      i += 2;
      const m = skip(NAME);
      const top = stack.pop();
      if (!m || !top || m[0] !== top.name) throw new XmlError(`unexpected closing tag </${m?.[0] ?? ''}>`);
      skip(/\s*/y);
      if (text[i] !== '>') throw new XmlError(`malformed closing tag </${m[0]}`);
      i++;
    } else {
      i++;
      const m = skip(NAME);
      if (!m) throw new XmlError(`malformed tag at offset ${i - 1}`);
      const attributes: Record<string, string> = {};
      for (let a = skip(ATTR); a; a = skip(ATTR)) attributes[a[1]!] = decodeEntities(a[3] ?? a[4] ?? '');
      skip(/\s*/y);
      const el: XmlElement = { name: m[0], attributes, children: [], text: '' };
      const parent = stack[stack.length - 1];
      if (parent) parent.children.push(el);
      else if (root) throw new XmlError('more than one root element');
      else root = el;
      if (text.startsWith('/>', i)) i += 2;
      else if (text[i] === '>') {
        i++;
        stack.push(el);
      } else throw new XmlError(`malformed tag <${m[0]}`);
    }
  }
  if (stack.length > 0) throw new XmlError(`unclosed element <${stack[stack.length - 1]!.name}>`);
  if (!root) throw new XmlError('no root element');
  return root;
}

/** Local name of an element (`ns:Name` → `Name`). */
export function localName(el: XmlElement): string {
  const c = el.name.indexOf(':');
  return c < 0 ? el.name : el.name.slice(c + 1);
}

export function child(el: XmlElement, name: string): XmlElement | undefined {
  return el.children.find((c) => localName(c) === name);
}

export function childrenNamed(el: XmlElement, name: string): XmlElement[] {
  return el.children.filter((c) => localName(c) === name);
}

/** A node to serialise: an element with text or children. */
export type XmlNode = { readonly [name: string]: string | number | boolean | XmlNode | readonly XmlNode[] | undefined };

function render(name: string, value: string | number | boolean | XmlNode | readonly XmlNode[] | undefined): string {
  if (value === undefined) return '';
  if (Array.isArray(value)) return `<${name}>${(value as readonly XmlNode[]).map((n) => renderChildren(n)).join('')}</${name}>`;
  if (typeof value === 'object') return `<${name}>${renderChildren(value as XmlNode)}</${name}>`;
  return `<${name}>${escapeXml(String(value))}</${name}>`;
}

function renderChildren(node: XmlNode): string {
  return Object.entries(node).map(([k, v]) => render(k, v)).join('');
}

/**
 * Serialises a document: `{ Invalidation: { Id: 'I1', ... } }`. Arrays render as a wrapper holding
 * each node's children (`Items: [{ Path: '/a' }, { Path: '/b' }]` → `<Items><Path>/a</Path><Path>/b</Path></Items>`).
 */
export function buildXml(root: string, body: XmlNode, xmlns = 'http://cloudfront.amazonaws.com/doc/2020-05-31/'): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n<${root} xmlns="${xmlns}">${renderChildren(body)}</${root}>`;
}

/** Serialises a parsed element back to XML (namespace attributes dropped; text escaped). */
export function renderElement(el: XmlElement, name = localName(el)): string {
  const inner = el.children.length > 0 ? el.children.map((c) => renderElement(c)).join('') : escapeXml(el.text);
  return `<${name}>${inner}</${name}>`;
}

/** A response document whose root holds `innerXml` as is. */
export function xmlDocument(root: string, innerXml: string, xmlns = 'http://cloudfront.amazonaws.com/doc/2020-05-31/'): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n<${root} xmlns="${xmlns}">${innerXml}</${root}>`;
}

/** A new element with text, or with children. */
export function element(name: string, content: string | XmlElement[] = ''): XmlElement {
  return typeof content === 'string' ? { name, attributes: {}, children: [], text: content } : { name, attributes: {}, children: content, text: '' };
}

/** Sets (or adds) the text child `name` of `el`. */
export function setChildText(el: XmlElement, name: string, text: string): void {
  const c = child(el, name);
  if (c) {
    c.text = text;
    c.children.length = 0;
  } else el.children.push(element(name, text));
}

/** A deep copy of an element. */
export function cloneElement(el: XmlElement): XmlElement {
  return { name: el.name, attributes: { ...el.attributes }, children: el.children.map(cloneElement), text: el.text };
}
