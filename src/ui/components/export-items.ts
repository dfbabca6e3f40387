// Export menu items for a chart drawn on screen (ExportMenu.tsx): its SVG elements as a standalone
// SVG file in the colours shown, or as a PNG at twice the size; and a CSV made on demand.
import type { ExportItem } from './ExportMenu';

/** A picture made on demand: a standalone SVG, its size, and file names by extension. */
export interface Picture {
  svg: string;
  width: number;
  height: number;
  file: (ext: string) => string;
}

export function pictureExports(svgs: () => SVGSVGElement[], what: string, title: string, scenarioTitle: string | undefined): ExportItem[] {
  return pictureSaves(async () => {
    const [{ svgFromScreen }, { pictureFileName }] = await Promise.all([import('../export-dom'), import('../export-svg')]);
    return { ...svgFromScreen(svgs(), title), file: (ext: string) => pictureFileName(what, scenarioTitle, ext) };
  });
}

/** "Save as SVG" and "Save as PNG (2×)" for any picture. */
export function pictureSaves(picture: () => Promise<Picture>): ExportItem[] {
  return [
    {
      label: 'Save as SVG',
      run: async () => {
        const [{ svg, file }, { download }] = await Promise.all([picture(), import('../export-dom')]);
        download(svg, file('svg'), 'image/svg+xml');
        return `✓ Saved ${file('svg')}`;
      },
    },
    {
      label: 'Save as PNG (2×)',
      run: async () => {
        const [{ svg, width, height, file }, { download, svgToPng }] = await Promise.all([picture(), import('../export-dom')]);
        download(await svgToPng(svg, width, height), file('png'), 'image/png');
        return `✓ Saved ${file('png')}`;
      },
    },
  ];
}

export function csvExport(label: string, what: string, scenarioTitle: string | undefined, make: () => Promise<string>): ExportItem {
  return {
    label,
    run: async () => {
      const [{ download }, { pictureFileName }, text] = await Promise.all([import('../export-dom'), import('../export-svg'), make()]);
      const file = pictureFileName(what, scenarioTitle, 'csv');
      download(text, file, 'text/csv');
      return `✓ Saved ${file}`;
    },
  };
}
