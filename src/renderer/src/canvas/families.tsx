import type { ReactElement } from 'react';
import type { NodeFamily } from '../../../engine/graph/nodeType';
import { hasTypeIcon, TypeIcon } from '../icons/TypeIcons';
import { ActivationIcon, DataIcon, LayerIcon, LossIcon, OtherIcon, PredictionIcon } from '../icons/Icons';

/** The React Flow node type (one memo component each) and look of each registry family. */
export const FAMILY_NODE_TYPE: Readonly<Record<NodeFamily, string>> = {
  Data: 'data',
  Layers: 'layer',
  Activations: 'activation',
  Losses: 'loss',
  Prediction: 'prediction',
};

const ICONS: Readonly<Record<NodeFamily, (p: { size?: number }) => ReactElement>> = {
  Data: DataIcon,
  Layers: LayerIcon,
  Activations: ActivationIcon,
  Losses: LossIcon,
  Prediction: PredictionIcon,
};

export function FamilyIcon({ family, size = 14 }: { family: NodeFamily | undefined; size?: number }): ReactElement {
  const Icon = family ? ICONS[family] : OtherIcon;
  return <Icon size={size} />;
}

/** The node type's own icon where it has one, else its family's. */
export function NodeIcon({
  type,
  family,
  size = 14,
}: {
  type: string;
  family: NodeFamily | undefined;
  size?: number;
}): ReactElement {
  return hasTypeIcon(type) ? <TypeIcon type={type} size={size} /> : <FamilyIcon family={family} size={size} />;
}

export function familyClass(family: NodeFamily | undefined): string {
  return family ? `fam-${FAMILY_NODE_TYPE[family]}` : 'fam-other';
}
