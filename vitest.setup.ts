// Every test file runs after the engine's entry has registered its kernels and gradients.
import { registerEngine } from './src/engine/register';

registerEngine();
