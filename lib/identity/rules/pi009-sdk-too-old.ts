import { sdkVerdictsForImage } from '../identity-facts';
import { makeFinding, serviceAccountSubject, shortList, type ServiceAccountRule } from '../rule-kit';

// PI009: a container image of the SA's pods is known to ship an AWS SDK too old for Pod Identity
// (the table in data/sdk-compatibility.ts, with its sources).
export const pi009SdkTooOld: ServiceAccountRule = {
  code: 'PI009',
  scope: 'serviceaccount',
  evaluate(ctx) {
    if (!ctx.association || !ctx.pods) return [];
    const byImage = new Map<string, { pods: Set<string>; containers: Set<string>; verdicts: ReturnType<typeof sdkVerdictsForImage> }>();
    for (const p of ctx.pods) {
      for (const { container, image } of p.images) {
        const tooOld = sdkVerdictsForImage(image).filter((v) => v.verdict === 'too-old');
        if (tooOld.length === 0) continue;
        let entry = byImage.get(image);
        if (!entry) byImage.set(image, (entry = { pods: new Set(), containers: new Set(), verdicts: tooOld }));
        entry.pods.add(p.name);
        entry.containers.add(container);
      }
    }
    if (byImage.size === 0) return [];
    const images = [...byImage.keys()];
    return [
      makeFinding(
        'PI009',
        serviceAccountSubject(ctx),
        `Image ${shortList(images, 2)} used by ${ctx.namespace}/${ctx.name} ships an AWS SDK too old for Pod Identity`,
        {
          images: [...byImage.entries()].map(([image, e]) => ({
            image,
            containers: [...e.containers],
            pods: [...e.pods],
            verdicts: e.verdicts,
          })),
        },
      ),
    ];
  },
};
