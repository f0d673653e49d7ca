#!/usr/bin/env bash
# The README's curl walk-through as a script: run it while `npm start` is up.
# Lists a black-listed enterprise, shows one task per matched department, acknowledges, reports
# feedback, removes the listing and shows the tasks lifted. Needs curl and jq.
set -euo pipefail
API=${API:-http://127.0.0.1:3000/api/v1}
TOKENS=${TOKENS:-.data/dev-tokens.json}
OFFICE=$(jq -r .office "$TOKENS")
TAX=$(jq -r .tax "$TOKENS")
TODAY=$(TZ=Asia/Shanghai date +%F)
PAST=$(TZ=Asia/Shanghai date -d '-20 days' +%F)
UNTIL=$(TZ=Asia/Shanghai date -d '+2 years' +%F)

echo "== 1. 信用办列入黑名单（事前告知已随决定书送达，告知期已满）"
ENTRY=$(curl -sf -X POST "$API/office/listings" -H "Authorization: Bearer $OFFICE" -H 'content-type: application/json' -d @- <<JSON | jq -r .entryId
{
  "subject": {"type": "enterprise", "uscc": "914403001922038216", "name": "示例科技有限公司"},
  "listKind": "black", "category": "major_tax_violation", "severity": "serious",
  "authority": "国家税务总局沧州市税务局",
  "legalBasis": [{"document": "重大税收违法失信主体信息公布管理办法（国家税务总局令第54号）"}],
  "decisionDocument": {"number": "沧税稽罚〔2026〕${RANDOM}号", "date": "$PAST"},
  "noticeServedOn": "$PAST",
  "reason": "虚开增值税专用发票，情节严重",
  "effectiveDate": "$TODAY", "validUntil": "$UNTIL"
}
JSON
)
echo "entryId=$ENTRY"
for _ in $(seq 40); do  # the workflow fans out within a moment
  [ "$(curl -sf "$API/office/listings/$ENTRY" -H "Authorization: Bearer $OFFICE" | jq .taskCount)" != 0 ] && break; sleep 0.5
done

echo "== 2. 各部门任务（每个匹配部门一项）"
curl -sf "$API/office/listings/$ENTRY/tasks" -H "Authorization: Bearer $OFFICE" | jq -r '.[] | "\(.departmentName)\t\(.status)\t签收截止 \(.ackDeadline)\t措施 \(.measures | length) 项"'

echo "== 3. 税务局待办，签收"
TASK=$(curl -sf "$API/departments/me/inbox?status=pending" -H "Authorization: Bearer $TAX" | jq -r --arg e "$ENTRY" '.items[] | select(.entryId == $e) | .taskId')
MEASURE=$(curl -sf "$API/departments/me/inbox" -H "Authorization: Bearer $TAX" | jq -r --arg t "$TASK" '.items[] | select(.taskId == $t) | .measures[0].id')
curl -sf -X POST "$API/departments/me/tasks/$TASK/acknowledgement" -H "Authorization: Bearer $TAX" -H 'content-type: application/json' -d '{"note":"已签收"}' | jq '{status, acknowledgedAt, ackOnTime}'

echo "== 4. 税务局反馈执行情况"
curl -sf -X POST "$API/departments/me/tasks/$TASK/feedback" -H "Authorization: Bearer $TAX" -H 'content-type: application/json' \
  -d "{\"matter\":\"tax_incentive\",\"measureIds\":[\"$MEASURE\"],\"appliedOn\":\"$TODAY\",\"outcome\":\"取消其享受的税收优惠\"}" | jq '{feedbackId, feedbackCount: .task.feedbackCount}'

echo "== 5. 信用办移出名单"
curl -sf -X POST "$API/office/listings/$ENTRY/removal" -H "Authorization: Bearer $OFFICE" -H 'content-type: application/json' -d '{"reason":"当事人已履行义务，提前移出"}' | jq '{status, closeReason, closedAt}'

echo "== 6. 任务已全部解除"
curl -sf "$API/office/listings/$ENTRY/tasks" -H "Authorization: Bearer $OFFICE" | jq -r '.[] | "\(.departmentName)\t\(.status)\t\(.liftedAt)"'
