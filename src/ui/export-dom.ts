// The browser side of the picture exports (export-svg.ts writes the files): reads a chart drawn on
// screen into an SVG tree with its computed colours and fonts written out, turns an SVG file into
// a PNG at twice its size (crisp on a projector), and saves or copies the result. Loaded with the
// export menu, on first use.
import { el, keepAttribute, standaloneSvg, stack, type SvgNode } from './export-svg';

/** Presentation properties written out on every element (the rest keep their SVG defaults). */
const PAINT = [
  'fill',
  'stroke',
  'stroke-width',
  'stroke-dasharray',
  'stroke-linecap',
  'stroke-linejoin',
  'stroke-opacity',
  'fill-opacity',
  'opacity',
];
const FONT = [
  'font-family',
  'font-size',
  'font-weight',
  'font-style',
  'text-anchor',
  'dominant-baseline',
  'paint-order',
  'text-decoration-line',
];
const SKIP_VALUE: Record<string, string> = {
  opacity: '1',
  'fill-opacity': '1',
  'stroke-opacity': '1',
  'stroke-dasharray': 'none',
  'text-decoration-line': 'none',
  'paint-order': 'normal',
  'dominant-baseline': 'auto',
};

function readNode(node: Node): SvgNode | null {
  if (node.nodeType === Node.TEXT_NODE) return node.textContent ?? '';
  if (!(node instanceof SVGElement)) return null;
  const style = getComputedStyle(node);
  if (style.display === 'none' || style.visibility === 'hidden') return null;
  const attrs: Record<string, string> = {};
  for (const attribute of node.attributes) if (keepAttribute(attribute.name)) attrs[attribute.name] = attribute.value;
  const text = node instanceof SVGTextContentElement;
  for (const property of text ? [...PAINT, ...FONT] : PAINT) {
    const value = style.getPropertyValue(property);
    if (value && SKIP_VALUE[property] !== value) attrs[property] = value;
  }
  const children: SvgNode[] = [];
  for (const child of node.childNodes) {
    const read = readNode(child);
    if (read !== null) children.push(read);
  }
  return el(node.tagName, attrs, children);
}

function viewBoxSize(svg: SVGSVGElement): { width: number; height: number } {
  const box = svg.viewBox.baseVal;
  if (box && box.width > 0 && box.height > 0) return { width: box.width, height: box.height };
  const rect = svg.getBoundingClientRect();
  return { width: rect.width, height: rect.height };
}

/** The first solid background behind an element (a chart's card), in its computed colour. */
function backgroundOf(element: Element): string {
  for (let at: Element | null = element; at; at = at.parentElement) {
    const colour = getComputedStyle(at).backgroundColor;
    if (colour && colour !== 'transparent' && !/rgba\([^)]*,\s*0\)$/.test(colour)) return colour;
  }
  return '#ffffff';
}

/** Charts on screen (one or more SVGs drawn one under another) as a standalone SVG file, in the colours they show now. */
export function svgFromScreen(svgs: readonly SVGSVGElement[], title: string): { svg: string; width: number; height: number } {
  if (svgs.length === 0) throw new Error('there is no drawing to export');
  const parts = svgs.map((svg) => {
    const { width, height } = viewBoxSize(svg);
    const box = svg.viewBox.baseVal;
    const nodes = [...svg.childNodes]
      .map(readNode)
      .filter((n): n is SvgNode => n !== null && !(typeof n !== 'string' && n.tag === 'title'));
    // Keep the drawing's own coordinates when its viewBox does not start at 0,0.
    const shifted = box && (box.x !== 0 || box.y !== 0) ? [el('g', { transform: `translate(${-box.x} ${-box.y})` }, nodes)] : nodes;
    return { width, height, nodes: shifted };
  });
  const width = Math.max(...parts.map((p) => p.width));
  const { height, nodes } = stack(parts);
  const first = svgs[0]!;
  const style = getComputedStyle(first);
  return {
    svg: standaloneSvg(nodes, {
      width,
      height,
      title,
      background: backgroundOf(first),
      color: style.color,
      fontFamily: style.fontFamily,
      fontSize: parseFloat(style.fontSize) || 13,
    }),
    width,
    height,
  };
}

/** An SVG file drawn into a PNG at `scale` times its size (2: sharp on a projector or a high-density screen). */
export async function svgToPng(svg: string, width: number, height: number, scale = 2): Promise<Blob> {
  const url = URL.createObjectURL(new Blob([svg], { type: 'image/svg+xml' }));
  try {
    const image = new Image();
    image.src = url;
    await image.decode();
    const canvas = document.createElement('canvas');
    canvas.width = Math.round(width * scale);
    canvas.height = Math.round(height * scale);
    const context = canvas.getContext('2d');
    if (!context) throw new Error('this browser cannot draw into a canvas');
    context.drawImage(image, 0, 0, canvas.width, canvas.height);
    return await new Promise<Blob>((resolve, reject) =>
      canvas.toBlob((blob) => (blob ? resolve(blob) : reject(new Error('the PNG could not be made'))), 'image/png'),
    );
  } finally {
    URL.revokeObjectURL(url);
  }
}

/** Saves a file through the browser's download. */
export function download(content: Blob | string, fileName: string, type: string): void {
  const url = URL.createObjectURL(typeof content === 'string' ? new Blob([content], { type }) : content);
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

export async function copyToClipboard(text: string): Promise<boolean> {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    return false;
  }
}
