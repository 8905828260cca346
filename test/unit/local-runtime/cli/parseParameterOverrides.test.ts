import { describe, expect, it } from 'vitest';
import { parseParameterOverrides } from '../../../../local-runtime/cli/parseParameterOverrides.js';

// The syntax of `sam deploy --parameter-overrides`:
// https://docs.aws.amazon.com/serverless-application-model/latest/developerguide/sam-cli-command-reference-sam-deploy.html
describe('parseParameterOverrides', () => {
  it('reads the ParameterKey=…,ParameterValue=… form', () => {
    expect(parseParameterOverrides(['ParameterKey=KeyPairName,ParameterValue=MyKey'])).toEqual({
      KeyPairName: 'MyKey',
    });
  });

  it('reads the Name=Value shorthand, space separated in one argument or as several', () => {
    expect(parseParameterOverrides(['KeyPairName=MyKey InstanceType=t1.micro'])).toEqual({
      KeyPairName: 'MyKey',
      InstanceType: 't1.micro',
    });
    expect(parseParameterOverrides(['KeyPairName=MyKey', 'InstanceType=t1.micro'])).toEqual({
      KeyPairName: 'MyKey',
      InstanceType: 't1.micro',
    });
  });

  it('mixes both forms and keeps the last value of a name given twice', () => {
    expect(
      parseParameterOverrides(['ParameterKey=Stage,ParameterValue=dev  PeerRegion=eu-west-1', 'Stage=prod']),
    ).toEqual({ Stage: 'prod', PeerRegion: 'eu-west-1' });
  });

  it('keeps what follows the first = as the value: = and commas included', () => {
    expect(parseParameterOverrides(['Filter=a=b,c', 'ParameterKey=X,ParameterValue=1,2'])).toEqual({
      Filter: 'a=b,c',
      X: '1,2',
    });
  });

  it('takes spaces and escaped quotes inside double quotes, and an empty value', () => {
    expect(parseParameterOverrides(['Note="two words" Quote="say \\"hi\\"" Empty= Blank=""'])).toEqual({
      Note: 'two words',
      Quote: 'say "hi"',
      Empty: '',
      Blank: '',
    });
  });

  it('keeps keys such as __proto__ out of the names', () => {
    expect(() => parseParameterOverrides(['__proto__=x'])).toThrow(
      "--parameter-overrides: '__proto__=x' is not ParameterKey=Name,ParameterValue=Value or Name=Value",
    );
  });

  it('refuses a pair without =, a name that is not alphanumeric, and an open quote', () => {
    expect(() => parseParameterOverrides(['Stage'])).toThrow(
      "--parameter-overrides: 'Stage' is not ParameterKey=Name,ParameterValue=Value or Name=Value " +
        '(names are alphanumeric; separate pairs with spaces)',
    );
    expect(() => parseParameterOverrides(['my-stage=dev'])).toThrow(/'my-stage=dev' is not/);
    expect(() => parseParameterOverrides(['ParameterKey=Stage'])).toThrow(/'ParameterKey=Stage' is not/);
    expect(() => parseParameterOverrides(['Note="open'])).toThrow(
      `--parameter-overrides: 'Note="open' has a double quote that is not closed`,
    );
  });

  it('reads nothing from no arguments or blank ones', () => {
    expect(parseParameterOverrides([])).toEqual({});
    expect(parseParameterOverrides(['', '  '])).toEqual({});
  });
});
