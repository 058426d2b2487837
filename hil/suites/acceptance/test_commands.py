"""Every command in the dictionary: accepted and completed, or refused with its documented code."""

from flight.core import FailureCode
from hil.ground import VerificationFailedError
from hil.rig import BadCase, GoodCase, RigGround


def test_command_is_accepted_started_and_completed(ground: RigGround, good_case: GoodCase) -> None:
    """Valid arguments pass acceptance and start; completion is ok or, for a command the
    app's current mode does not allow (a mode machine's transitions), REFUSED and nothing
    else. Which mode allows which command is not in the dictionary, so this cannot pick the
    mode first; the payload's transitions have no stateful model here yet."""
    try:
        outcome = ground.execute(good_case.request)
    except VerificationFailedError as exc:
        failure = exc
    else:
        stages = [r.values["stage"] for r in outcome.reports]
        assert stages == ["acceptance", "start", "completion"], stages
        return
    assert (failure.stage, failure.code) == ("completion", FailureCode.REFUSED), (
        f"{good_case.id}: expected completion (or REFUSED in this mode), got {failure}"
    )


def test_bad_command_is_refused_at_acceptance_with_its_code(
    ground: RigGround, bad_case: BadCase
) -> None:
    ground.send_and_assert_failure(bad_case.request, bad_case.code, stage="acceptance")
    ground.ping()  # and the unit is still answering
