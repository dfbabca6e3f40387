// Pictures for slides and notes: standalone SVG documents. A drawing is a small tree of SVG nodes
// (built from a diagram model, as sequence-svg.ts does, or read from a chart on screen with its
// computed colours, as export-dom.ts does); this module writes it out as a file that needs
// nothing else: the SVG namespace, a title, the fonts and colours as attributes (no classes, no
// stylesheet), and a solid background, so it reads the same on a light or a dark slide. Pure.

export interface SvgElementNode {
  tag: string;
  attrs: Record<string, string | number>;
  children: SvgNode[];
}
/** An element, or text inside one. */
export type SvgNode = SvgElementNode | string;

export function el(tag: string, attrs: Record<string, string | number | null | undefined> = {}, children: SvgNode[] = []): SvgElementNode {
  const kept: Record<string, string | number> = {};
  for (const [name, value] of Object.entries(attrs)) if (value !== null && value !== undefined) kept[name] = value;
  return { tag, attrs: kept, children };
}

export function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

const NAME = /^[A-Za-z_][\w.:-]*$/;

export function serializeSvg(node: SvgNode): string {
  if (typeof node === 'string') return escapeXml(node);
  if (!NAME.test(node.tag)) throw new Error(`svg: "${node.tag}" is not an element name`);
  let out = `<${node.tag}`;
  for (const [name, value] of Object.entries(node.attrs)) {
    if (!NAME.test(name)) throw new Error(`svg: "${name}" is not an attribute name`);
    out += ` ${name}="${escapeXml(String(value))}"`;
  }
  if (node.children.length === 0) return `${out}/>`;
  return `${out}>${node.children.map(serializeSvg).join('')}</${node.tag}>`;
}

/**
 * Attributes of a drawn element worth keeping in a file: geometry, text layout, transforms and
 * references. Never classes or inline styles (the colours are written out instead), event
 * handlers, ARIA, tab stops or data attributes.
 */
export function keepAttribute(name: string): boolean {
  const n = name.toLowerCase();
  if (n === 'class' || n === 'style' || n === 'role' || n === 'tabindex' || n === 'focusable') return false;
  return !n.startsWith('on') && !n.startsWith('aria-') && !n.startsWith('data-');
}

export interface StandaloneOptions {
  /** The drawing's size in its own units (also its size in CSS pixels). */
  width: number;
  height: number;
  /** What the picture shows (the file's <title>, read by screen readers and shown by viewers). */
  title: string;
  /** The solid background and the default text colour. */
  background: string;
  color: string;
  fontFamily: string;
  fontSize?: number;
}

export const EXPORT_FONT = "ui-monospace, Menlo, Consolas, 'DejaVu Sans Mono', monospace";

/** The drawing as a standalone SVG file. */
export function standaloneSvg(content: readonly SvgNode[], o: StandaloneOptions): string {
  const root = el(
    'svg',
    {
      xmlns: 'http://www.w3.org/2000/svg',
      width: o.width,
      height: o.height,
      viewBox: `0 0 ${o.width} ${o.height}`,
      'font-family': o.fontFamily,
      'font-size': o.fontSize ?? 13,
      fill: o.color,
    },
    [el('title', {}, [o.title]), el('rect', { x: 0, y: 0, width: o.width, height: o.height, fill: o.background }), ...content],
  );
  return `<?xml version="1.0" encoding="UTF-8"?>\n${serializeSvg(root)}\n`;
}

/** Drawings placed one under another (e.g. a chart's axis header and its body), with their total size. */
export function stack(parts: readonly { height: number; nodes: readonly SvgNode[] }[]): { height: number; nodes: SvgNode[] } {
  let y = 0;
  const nodes: SvgNode[] = [];
  for (const part of parts) {
    nodes.push(el('g', { transform: `translate(0 ${y})` }, [...part.nodes]));
    y += part.height;
  }
  return { height: y, nodes };
}

/** A file name for a picture: `tokenscope-<what>-<slug>.<ext>`. */
export function pictureFileName(what: string, title: string | undefined, ext: string): string {
  const slug = (title ?? '')
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 50)
    .replace(/-+$/, '');
  return `tokenscope-${what}${slug ? `-${slug}` : ''}.${ext}`;
}
