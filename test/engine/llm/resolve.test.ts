import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../../source/engine/errors.js';
import { maskKey } from '../../../source/engine/llm/keys.js';
import { resolveLLM } from '../../../source/engine/llm/resolve.js';
import { configHome } from '../../helpers/temp-tree.js';
import { thrown } from '../../helpers/thrown.js';

describe('resolveLLM', () => {
  it('resolves a preset name with its limits and defaults, the key from the environment', () => {
    const llm = resolveLLM({ explicit: 'claude-sonnet-5', env: { ...configHome(), ANTHROPIC_API_KEY: 'sk-ant-1' } });
    expect(llm).toMatchObject({
      id: 'anthropic/claude-sonnet-5',
      model: 'claude-sonnet-5',
      backend: { name: 'anthropic', type: 'anthropic' },
      credential: { kind: 'key', key: 'sk-ant-1', source: 'env', envVar: 'ANTHROPIC_API_KEY' },
      maxContext: 1_000_000,
      reasoningEffort: 'high',
      baseURL: 'https://api.anthropic.com',
      source: '--llm',
    });
  });

  it('a stored key wins over the environment', () => {
    const env = { ...configHome({ 'api_keys.json': JSON.stringify({ openai: 'sk-stored' }) }), OPENAI_API_KEY: 'sk-env' };
    expect(resolveLLM({ explicit: 'openai/gpt-5.4', env }).credential).toEqual({ kind: 'key', key: 'sk-stored', source: 'stored' });
  });

  it('accepts aliases, provider/name, and any model id on a known provider', () => {
    const env = { ...configHome(), ANTHROPIC_API_KEY: 'a', OPENROUTER_API_KEY: 'b' };
    expect(resolveLLM({ explicit: 'opus', env }).id).toBe('anthropic/claude-opus-4.8');
    expect(resolveLLM({ explicit: 'anthropic/claude-haiku-4.5', env }).model).toBe('claude-haiku-4-5');
    const adHoc = resolveLLM({ explicit: 'openrouter/mistralai/devstral-2', env });
    expect(adHoc).toMatchObject({ id: 'openrouter/mistralai/devstral-2', model: 'mistralai/devstral-2' });
    expect(adHoc.preset).toBeUndefined();
  });

  it('a bare name on several providers goes to the first one with credentials', () => {
    const env = { ...configHome(), OPENAI_API_KEY: 'sk' };
    expect(resolveLLM({ explicit: 'gpt-5.5', env }).id).toBe('openai/gpt-5.5');
    const codex = configHome({ 'codex-auth.json': '{"access_token":"x"}' });
    expect(resolveLLM({ explicit: 'gpt-5.5', env: { ...codex, OPENAI_API_KEY: 'sk' } })).toMatchObject({ id: 'codex/gpt-5.5', credential: { kind: 'oauth' } });
  });

  it('applies variations, in either spelling, and names them canonically', () => {
    const env = { ...configHome(), ANTHROPIC_API_KEY: 'a', OPENAI_API_KEY: 'o' };
    expect(resolveLLM({ explicit: 'claude-sonnet-5@reasoning=low', env })).toMatchObject({ id: 'anthropic/claude-sonnet-5@reasoning=low', reasoningEffort: 'low' });
    const fast = resolveLLM({ explicit: 'openai/gpt-5.5@fast,xhigh', env });
    expect(fast.id).toBe('openai/gpt-5.5@speed=fast,reasoning=xhigh');
    expect(fast.extraBody).toEqual({ service_tier: 'priority' });
    expect(fast.reasoningEffort).toBe('xhigh');
    expect(thrown(ConfigError, () => resolveLLM({ explicit: 'claude-sonnet-5@reasoning=huge', env })).message).toMatch(/unknown option 'huge' in group 'reasoning'; options: none, low/);
    expect(thrown(ConfigError, () => resolveLLM({ explicit: 'claude-sonnet-5@turbo', env })).message).toMatch(/unknown variation 'turbo'/);
    expect(thrown(ConfigError, () => resolveLLM({ explicit: 'openrouter/x/y@fast', env: { ...env, OPENROUTER_API_KEY: 'r' } })).message).toMatch(/not a preset/);
  });

  it('orders choices: --llm > controller.llm > controller.model > default_model > credentials', () => {
    const env = { ...configHome({ 'llm_profiles.yaml': 'default_model: gemini-3.5-flash\n' }), OPENAI_API_KEY: 'o', GEMINI_API_KEY: 'g', ANTHROPIC_API_KEY: 'a' };
    const controller = { llm: 'claude-haiku-4.5', model: 'gpt-4.1' };
    expect(resolveLLM({ explicit: 'gpt-5.4', controller, env }).source).toBe('--llm');
    expect(resolveLLM({ controller, env })).toMatchObject({ id: 'anthropic/claude-haiku-4.5', source: 'controller.llm' });
    expect(resolveLLM({ controller: { model: 'gpt-4.1' }, env })).toMatchObject({ id: 'openai/gpt-4.1', source: 'controller.model' });
    expect(resolveLLM({ controller: { model: 'some-new-model', provider: 'openrouter' }, env: { ...env, OPENROUTER_API_KEY: 'r' } }).id).toBe('openrouter/some-new-model');
    expect(resolveLLM({ env })).toMatchObject({ id: 'gemini/gemini-3.5-flash', source: 'default_model' });
    const noDefault = { ...configHome(), GEMINI_API_KEY: 'g', OPENAI_API_KEY: 'o' };
    expect(resolveLLM({ env: noDefault })).toMatchObject({ id: 'openai/gpt-5.5', source: 'auto' });
  });

  it('with nothing chosen and no credentials, says how to fix it', () => {
    const error = thrown(ConfigError, () => resolveLLM({ env: configHome() }));
    expect(error.code).toBe('NO_MODEL');
    expect(error.hint).toMatch(/kt login <provider>/);
  });

  it('unknown names and providers suggest close matches', () => {
    const env = configHome();
    expect(thrown(ConfigError, () => resolveLLM({ explicit: 'claude-sonet-5', env })).message).toMatch(/unknown model 'claude-sonet-5' \(did you mean: claude-sonnet-5/);
    expect(thrown(ConfigError, () => resolveLLM({ explicit: 'antropic/claude-sonnet-5', env })).message).toMatch(/unknown provider 'antropic'.*did you mean: anthropic/);
  });

  it('names the missing key, the variable and kt login; codex needs a login', () => {
    const env = configHome();
    expect(thrown(ConfigError, () => resolveLLM({ explicit: 'gemini-3.1-pro', env })).message).toBe('no API key for gemini: set GEMINI_API_KEY or run kt login gemini');
    expect(thrown(ConfigError, () => resolveLLM({ explicit: 'codex/gpt-5.5', env }))).toMatchObject({ code: 'MISSING_LOGIN', hint: 'run kt login codex' });
  });

  it('honours the base URL variables and controller.base_url / api_key_env', () => {
    const env = {
      ...configHome(),
      OPENAI_API_KEY: 'o',
      ANTHROPIC_API_KEY: 'a',
      GEMINI_API_KEY: 'g',
      OPENAI_BASE_URL: 'http://127.0.0.1:1/v1',
      ANTHROPIC_BASE_URL: 'http://127.0.0.1:2',
      GOOGLE_GEMINI_BASE_URL: 'http://127.0.0.1:3',
      MY_KEY: 'mine',
    };
    expect(resolveLLM({ explicit: 'gpt-5.4', env }).baseURL).toBe('http://127.0.0.1:1/v1');
    expect(resolveLLM({ explicit: 'claude-sonnet-5', env }).baseURL).toBe('http://127.0.0.1:2');
    expect(resolveLLM({ explicit: 'gemini-3.1-pro', env }).baseURL).toBe('http://127.0.0.1:3');
    const custom = resolveLLM({ controller: { llm: 'local/qwen3', base_url: 'http://127.0.0.1:9/v1', api_key_env: 'MY_KEY' }, env });
    expect(custom).toMatchObject({ id: 'local/qwen3', baseURL: 'http://127.0.0.1:9/v1', backend: { type: 'openai' }, credential: { key: 'mine' } });
    expect(resolveLLM({ explicit: 'ollama/qwen3:8b', env }).credential).toEqual({ kind: 'none' });
  });

  it('reads backends and presets from llm_profiles.yaml, grouped or flat', () => {
    const env = {
      ...configHome({
        'llm_profiles.yaml': [
          'version: 3',
          'backends:',
          '  lab:',
          '    backend_type: openai',
          '    base_url: http://127.0.0.1:7/v1',
          '    api_key_env: LAB_KEY',
          'presets:',
          '  lab:',
          '    qwen-big:',
          '      model: Qwen/Qwen3-235B',
          '      max_context: 131072',
          '      variation_groups: { reasoning: { low: { reasoning_effort: low } } }',
          '      aliases: [qb]',
          '  old-style:',
          '    provider: openai',
          '    model: gpt-4.1-nano',
        ].join('\n'),
      }),
      LAB_KEY: 'k',
      OPENAI_API_KEY: 'o',
    };
    expect(resolveLLM({ explicit: 'qb@low', env })).toMatchObject({ id: 'lab/qwen-big@reasoning=low', model: 'Qwen/Qwen3-235B', maxContext: 131072, reasoningEffort: 'low' });
    expect(resolveLLM({ explicit: 'old-style', env })).toMatchObject({ id: 'openai/old-style', model: 'gpt-4.1-nano' });
  });

  it('a malformed llm_profiles.yaml names the file, the line and the key', () => {
    const env = configHome({ 'llm_profiles.yaml': 'presets:\n  lab:\n    x:\n      model: m\n      max_context: lots\n' });
    const error = thrown(ConfigError, () => resolveLLM({ explicit: 'gpt-5.4', env }));
    expect(error).toMatchObject({ line: 5, keyPath: ['presets', 'lab', 'x', 'max_context'] });
    expect(error.file).toMatch(/llm_profiles\.yaml$/);
  });
});

describe('maskKey', () => {
  it('shows only the ends of a key', () => {
    expect(maskKey('sk-abcdefghijklmnop1234')).toBe('sk-a…1234');
    expect(maskKey('short')).toBe('•••••');
  });
});
