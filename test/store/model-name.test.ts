import { describe, expect, it } from 'vitest';
import { chooseModelName, hasCopyMarker, isGenericHfName, nameFromHfFolder } from '../../store/model-name.js';

describe('copy markers', () => {
  it.each([
    'add_detail (1).safetensors',
    'add_detail(2).safetensors',
    'add_detail (12).ckpt',
    'add_detail (copy).safetensors',
    'add_detail (Copy 2).safetensors',
    'add_detail - Copy.safetensors',
    'add_detail - Copy (3).safetensors',
    'add_detail copy.safetensors',
    'add_detail copy 2.safetensors',
    'add_detail-copy.safetensors',
    'add_detail_copy.safetensors',
    'add_detail_Copy1.safetensors',
    'add_detail - Kopie.safetensors',
    'copy of add_detail.safetensors',
    'Copy (2) of add_detail.safetensors',
    'Kopie von add_detail.safetensors',
  ])('%s carries one', (name) => expect(hasCopyMarker(name)).toBe(true));

  it.each(['add_detail.safetensors', 'photocopy.safetensors', 'model (v2).safetensors', 'copycat_xl.safetensors', 'lora_v1.safetensors', 'sd_xl_base_1.0.safetensors'])('%s carries none', (name) =>
    expect(hasCopyMarker(name)).toBe(false),
  );
});

describe('generic Hugging Face names', () => {
  it.each([
    'diffusion_pytorch_model.safetensors',
    'diffusion_pytorch_model.fp16.safetensors',
    'adapter_model.safetensors',
    'adapter_model.bin',
    'model.safetensors',
    'model-00001-of-00002.safetensors',
    'pytorch_model.bin',
    'pytorch_lora_weights.safetensors',
    'learned_embeds.safetensors',
    'consolidated.00.pth',
  ])('%s is generic', (name) => expect(isGenericHfName(name)).toBe(true));

  it.each(['sdxl_vae.safetensors', 'my_model.safetensors', 'flux1-dev.safetensors'])('%s is not', (name) => expect(isGenericHfName(name)).toBe(false));

  it('take the name of the folder that names them', () => {
    expect(nameFromHfFolder('/dl/sdxl-vae-fp16-fix/diffusion_pytorch_model.safetensors')).toBe('sdxl-vae-fp16-fix.safetensors');
    expect(nameFromHfFolder('/comfy/models/vae/sdxl-vae-fp16-fix/diffusion_pytorch_model.safetensors')).toBe('sdxl-vae-fp16-fix.safetensors');
    expect(nameFromHfFolder('/h/.cache/huggingface/hub/models--madebyollin--sdxl-vae-fp16-fix/snapshots/' + 'a'.repeat(40) + '/diffusion_pytorch_model.safetensors')).toBe('sdxl-vae-fp16-fix.safetensors');
    expect(nameFromHfFolder('/dl/sdxl-base/unet/diffusion_pytorch_model.fp16.safetensors')).toBe('sdxl-base-unet.safetensors');
    expect(nameFromHfFolder('/dl/my-lora/adapter_model.bin')).toBe('my-lora.bin');
  });

  it('keep their own name where no folder names them (directly in an app folder or in models/)', () => {
    expect(nameFromHfFolder('/comfy/models/loras/adapter_model.safetensors')).toBeUndefined();
    expect(nameFromHfFolder('/comfy/models/unet/diffusion_pytorch_model.safetensors')).toBeUndefined();
    expect(nameFromHfFolder('/comfy/models/diffusion_pytorch_model.safetensors')).toBeUndefined();
    expect(nameFromHfFolder('/home/me/Downloads/model.safetensors')).toBeUndefined();
    expect(nameFromHfFolder('/tmp/unet/diffusion_pytorch_model.safetensors')).toBeUndefined();
  });
});

describe('chooseModelName', () => {
  it('prefers a clean name over one a file manager or browser marked as a copy, whatever the order', () => {
    const paths = ['/dl/add_detail (1).safetensors', '/dl/old/copy of add_detail.safetensors', '/dl/x/add_detail.safetensors'];
    expect(chooseModelName(paths)?.name).toBe('add_detail.safetensors');
    expect(chooseModelName([...paths].reverse())?.name).toBe('add_detail.safetensors');
  });

  it('then a name found under an app model folder', () => {
    expect(chooseModelName(['/dl/detail_tweaker.safetensors', '/comfy/models/loras/sd15/add_detail.safetensors'])).toEqual({
      name: 'add_detail.safetensors',
      path: '/comfy/models/loras/sd15/add_detail.safetensors',
    });
  });

  it('names a generic Hugging Face file after its folder, and prefers that over a generic name left as it is', () => {
    expect(chooseModelName(['/comfy/models/vae/diffusion_pytorch_model.safetensors', '/dl/sdxl-vae-fp16-fix/diffusion_pytorch_model.safetensors'])?.name).toBe('sdxl-vae-fp16-fix.safetensors');
  });

  it('keeps a copy-marked name when every source has one, and is stable among equals', () => {
    expect(chooseModelName(['/dl/b (1).safetensors', '/dl/a (2).safetensors'])?.name).toBe('a (2).safetensors');
    expect(chooseModelName(['/dl/a (2).safetensors', '/dl/b (1).safetensors'])?.name).toBe('a (2).safetensors');
    expect(chooseModelName([])).toBeUndefined();
  });
});
