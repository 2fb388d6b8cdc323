import type { PodDetail } from '@/lib/model/identity-row';

const VERDICT_STYLE = { ok: 'text-emerald-700', 'too-old': 'text-red-700 font-semibold', unknown: 'text-neutral-500' } as const;

export function ImageVerdicts({ images }: { images: PodDetail['images'] }) {
  return (
    <ul className="space-y-1">
      {images.map((image, index) => (
        <li key={`${image.container}-${index}`} className="text-[12px]">
          <code className="font-mono text-[11.5px] break-all text-neutral-800" title={`container ${image.container}`}>
            {image.image}
          </code>
          {image.sdkVerdicts.map((verdict, vi) => (
            <div key={vi} className={`text-[11px] ${VERDICT_STYLE[verdict.verdict]}`} title={verdict.note}>
              {verdict.sdk}: {verdict.verdict}
              {verdict.verdict !== 'unknown' && <span className="font-normal text-neutral-500"> — {verdict.note}</span>}
              {verdict.source && (
                <a href={verdict.source} className="ml-1 text-sky-700 hover:underline" rel="noreferrer" target="_blank">
                  source
                </a>
              )}
            </div>
          ))}
        </li>
      ))}
    </ul>
  );
}
