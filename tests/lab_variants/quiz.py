"""Wrong answers for the quiz, one per autograded question: each replaces one solution cell.

Each is in the right format (so the visible checks pass) and is a plausible mistake,
often the study guide's own imprecise claim; each loses points in its own question's
check and nowhere else. Select-all questions, structured answers and glossary groups
earn partial credit, so a partly right answer keeps some points: ``EARNS`` says how
many, by the quiz's documented rule (net-correct, or a share per key or term).
The essays are graded by hand and have no variant.
"""

WRONG = {
    # one EBS volume per user profile instead of per space (one key of two wrong)
    "q1": 'q1 = {"classic": "b", "studio": "a"}',
    # the study guide's claim: Code Editor is Microsoft's branded VS Code
    "q2": 'q2 = "a"',
    # believes the instance lives (and bills) as long as the space exists: 3 right, 1 wrong
    "q3": 'q3 = {"b", "c", "d", "e"}',
    # believes collaborators get private copies merged on save, and misses the shared
    # kernel: 2 right, 1 wrong
    "q4": 'q4 = {"a", "b", "c"}',
    # pulls the image before the instance it is pulled onto exists
    "q5": 'q5 = ["d", "e", "b", "c", "a"]',
    # the study guide's list: endpoints, EMR and S3, forgetting the EBS volume
    "q6": 'q6 = {"b", "d", "f"}',
    # keeps refactoring in JupyterLab (one key of five wrong)
    "q7": """
q7 = {
    "statistician": "RStudio",
    "analyst": "Canvas",
    "tracking": "MLflow",
    "engineer": "JupyterLab",
    "licence": "RStudio",
}
""",
    # thinks today's Studio still sets everything up automatically, as Classic did
    "q8": 'q8 = {"classic": "b", "studio": "b"}',
    # the study guide's claim: private spaces are hidden even from administrators;
    # 2 right, 1 wrong
    "q9": 'q9 = {"a", "d", "g"}',
    # believes mounting the EFS detaches the EBS home
    "q10": 'q10 = "d"',
    # swaps Canvas and Data Wrangler (two terms of seven wrong)
    "glossary-1": 'glossary_1 = {1: "d", 2: "a", 3: "c", 4: "f", 5: "g", 6: "b", 7: "e"}',
    # swaps private and shared space
    "glossary-2": 'glossary_2 = {8: "j", 9: "n", 10: "h", 11: "m", 12: "l", 13: "k", 14: "i"}',
    # swaps EBS and EFS
    "glossary-3": 'glossary_3 = {15: "p", 16: "u", 17: "r", 18: "t", 19: "o", 20: "s", 21: "q"}',
}

# Points each variant still earns on its own question (the rest of its points are lost).
EARNS = {
    "q1": 1.5,  # 1 of 2 keys
    "q3": 2.0,  # net-correct (3 - 1) / 3 of 3 points
    "q4": 1.0,  # (2 - 1) / 3 of 3
    "q6": 3.0,  # (3 - 0) / 4 of 4
    "q7": 2.4,  # 4 of 5 keys, of 3 points
    "q8": 1.5,  # 1 of 2 keys
    "q9": 1.0,  # (2 - 1) / 4 of 4
    "glossary-1": 2.14,  # 5 of 7 terms, of 3 points (rounded to cents)
    "glossary-2": 2.14,
    "glossary-3": 2.14,
}
