/**
 * A template with a table `things` whose stream feeds one function `Echo` (`echo.handler`, bundled by esbuild
 * from `echo.ts` next to the template): the smallest app for `eddy dev --watch` (test/e2e/devWatch.test.ts,
 * bench/watchReload.ts).
 */
/** The start of such a template: its header and the table `things` (key `id`), whose stream gives new images. */
const THINGS_TEMPLATE_HEAD = `Transform: AWS::Serverless-2016-10-31
Resources:
  Things:
    Type: AWS::DynamoDB::Table
    Properties:
      TableName: things
      BillingMode: PAY_PER_REQUEST
      AttributeDefinitions: [{ AttributeName: id, AttributeType: S }]
      KeySchema: [{ AttributeName: id, KeyType: HASH }]
      StreamSpecification: { StreamViewType: NEW_IMAGE }
`;

const echoTemplate = (startingPosition: 'TRIM_HORIZON' | 'LATEST'): string => `${THINGS_TEMPLATE_HEAD}  Echo:
    Type: AWS::Serverless::Function
    Metadata:
      BuildMethod: esbuild
    Properties:
      Runtime: nodejs24.x
      Handler: echo.handler
      Events:
        Stream:
          Type: DynamoDB
          Properties: { Stream: !GetAtt Things.StreamArn, StartingPosition: ${startingPosition} }
`;

export { echoTemplate, THINGS_TEMPLATE_HEAD };
