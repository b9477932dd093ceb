"""A ranking edited one button at a time, without JavaScript (the papers' and the matching's ranking pages):
add to the end, remove, move up or down by one place. Pure: ids in, ids out."""

ACTIONS = ("add", "remove", "up", "down")


def ranking_after(action: str, ranking: list[int], item: int) -> list[int]:
    """The ranking after one press of `action` on `item`; a press that cannot apply (add what is there,
    move the first up) leaves it as it was."""
    ranking = list(ranking)
    if action == "add" and item not in ranking:
        ranking.append(item)
    elif action == "remove" and item in ranking:
        ranking.remove(item)
    elif action in ("up", "down") and item in ranking:
        index = ranking.index(item)
        other = index - 1 if action == "up" else index + 1
        if 0 <= other < len(ranking):
            ranking[index], ranking[other] = ranking[other], ranking[index]
    return ranking
